"""otr-prekey-server over XMPP with a real prosody (prosody_harness.py), all
on 127.0.0.1, storage SQLite in the test's directory:

- --check passes on a good configuration and fails (exit 2, a config_error
  line) on an unknown setting, a bad storage scheme and a missing secret;
- the server connects as the component prekey.localhost; bob's client
  (prekey_xmpp_client: the client core through tools/xmpp) finds it by
  disco (the host's items, identity auth/otr-prekey and the
  otrv4-prekey-server feature, the fingerprint node, which matches the
  fingerprint the server logged), publishes 5 prekey messages, reads the
  storage status (5); alice retrieves bob's ensemble (1 valid) and bob's
  status drops to 4;
- SIGKILL mid-publication: bob publishes round after round, the server is
  killed with SIGKILL after 3 acknowledged rounds; after a restart on the
  same database (same key) the status counts every acknowledged prekey
  message (at most the one round in flight more);
- SIGTERM ends the server cleanly (exit 0, a shutdown line).

Usage: prekey_server_e2e_test.py <prosody_harness.py> <otr-prekey-server> <prekey_xmpp_client>
"""
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[1])))
import prosody_harness  # noqa: E402

SERVER, CLIENT = sys.argv[2:4]
COMPONENT = 'prekey.localhost'
SECRET = 'prekey-component-secret'


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def write(path, text):
    with open(path, 'w') as f:
        f.write(text)
    return path


def run_client(p, user, *action):
    pw = os.path.join(p.dir, user + '.pw')
    r = subprocess.run([CLIENT, str(p.c2s_port), user + '@localhost', pw, p.cert_path] +
                       list(action), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=120)
    return r.returncode, r.stdout.splitlines()


def main():
    with prosody_harness.Prosody(components={COMPONENT: SECRET}) as p:
        for user in ('alice', 'bob'):
            p.register(user, user + '-pw')
            write(os.path.join(p.dir, user + '.pw'), user + '-pw\n')
        secret_file = write(os.path.join(p.dir, 'component.secret'), SECRET + '\n')
        db = os.path.join(p.dir, 'prekeys.db')
        key_file = os.path.join(p.dir, 'prekey-server.key')
        config = write(os.path.join(p.dir, 'prekey-server.conf'), '\n'.join([
            '# the test server',
            'component = ' + COMPONENT,
            'xmpp_server = 127.0.0.1:%d' % p.component_port,
            'secret_file = ' + secret_file,
            'storage = sqlite:' + db,
            'key_file = ' + key_file,
            '']))

        # --check: good, then three bad configurations.
        r = subprocess.run([SERVER, '--config', config, '--check'], stderr=subprocess.PIPE,
                           text=True, timeout=60)
        expect(r.returncode == 0 and 'event=check_ok' in r.stderr, '--check failed: ' + r.stderr)
        expect(os.path.exists(db), '--check did not create the database')
        bad = write(os.path.join(p.dir, 'bad.conf'), open(config).read() + 'colour = blue\n')
        for args, what in (([ '--config', bad], 'unknown setting'),
                           (['--config', config, '--storage', 'oracle:x'], 'storage scheme'),
                           (['--component', COMPONENT], 'secret_file')):
            r = subprocess.run([SERVER, '--check'] + args, stderr=subprocess.PIPE, text=True,
                               timeout=60)
            expect(r.returncode != 0 and re.search(r'event=(config|storage)_error', r.stderr),
                   '--check accepted a bad configuration (%s): %d %s' % (what, r.returncode,
                                                                          r.stderr))

        server = prosody_harness.PrekeyServerProcess(SERVER, ['--config', config])
        try:
            fp_line = server.wait_event('key_loaded')
            fingerprint = re.search(r'fingerprint=([0-9A-F]{112})', fp_line).group(1)
            server.wait_event('started')

            rc, out = run_client(p, 'bob', 'publish', '5')
            expect(rc == 0 and 'published 5' in out, 'publication failed: %r' % out)
            expect('server %s %s' % (COMPONENT, fingerprint) in out,
                   'disco did not find the server and its fingerprint: %r' % out)
            server.wait_event('published')
            rc, out = run_client(p, 'bob', 'status')
            expect(rc == 0 and 'status 5' in out, 'status after publication: %r' % out)
            rc, out = run_client(p, 'alice', 'retrieve', 'bob@localhost')
            expect(rc == 0 and 'ensembles 1 refused 0' in out, 'retrieval: %r' % out)
            rc, out = run_client(p, 'bob', 'status')
            expect(rc == 0 and 'status 4' in out, 'status after retrieval: %r' % out)

            # SIGKILL mid-publication.
            pw = os.path.join(p.dir, 'bob.pw')
            pub = subprocess.Popen([CLIENT, str(p.c2s_port), 'bob@localhost', pw, p.cert_path,
                                    'publish', '5', '100'], stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
            acked = 0
            for line in pub.stdout:
                if line.startswith('published'):
                    acked += 1
                    if acked == 3:
                        server.proc.send_signal(signal.SIGKILL)
                        server.proc.wait()
                        break
            rest = pub.communicate(timeout=60)[0]
            acked += rest.count('published ')
            expect(acked >= 3, 'too few publications before the kill')
            server.drain()
            server = prosody_harness.PrekeyServerProcess(SERVER, ['--config', config])
            server.wait_event('key_loaded')
            server.wait_event('started')
            rc, out = run_client(p, 'bob', 'status')
            got = int(out[-1].split()[1]) if rc == 0 and out[-1].startswith('status') else -1
            expect(4 + 5 * acked <= got <= 4 + 5 * (acked + 1),
                   'after SIGKILL: %d acknowledged rounds, status %r' % (acked, out))
            print('sigkill: %d rounds acknowledged before the kill, %d prekey messages stored'
                  % (acked, got))

            # SIGTERM: clean shutdown.
            server.proc.send_signal(signal.SIGTERM)
            server.wait_event('shutdown')
            expect(server.proc.wait(timeout=30) == 0, 'SIGTERM: exit %s' % server.proc.returncode)
        finally:
            server.stop()
    print('PASS')


if __name__ == '__main__':
    try:
        main()
    except (Failure, prosody_harness.HarnessError) as e:
        print('FAIL:', e)
        sys.exit(1)
