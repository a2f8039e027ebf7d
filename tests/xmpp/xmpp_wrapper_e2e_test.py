"""tools/xmpp (the libstrophe wrapper) against a real prosody on 127.0.0.1
(prosody_harness.py): a component connects (XEP-0114) and answers
disco#info/disco#items; a client connects with STARTTLS, trusting the test's
self-signed certificate only through its file, finds the component among
the host's disco#items, reads its identity and features, and gets a 5,000
character message echoed whole. Without the certificate file the client
refuses the server (no silent "accept anything"). A wrong component secret
is refused by prosody and reported.

Usage: xmpp_wrapper_e2e_test.py <prosody_harness.py dir> <xmpp_probe>
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[1])))
import prosody_harness  # noqa: E402

PROBE = sys.argv[2]
COMPONENT = 'probe.localhost'


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def write(path, text):
    with open(path, 'w') as f:
        f.write(text + '\n')
    return path


def main():
    with prosody_harness.Prosody(components={COMPONENT: 'component-secret'}) as p:
        p.register('alice', 'alice-pw')
        secret = write(os.path.join(p.dir, 'secret'), 'component-secret')
        wrong = write(os.path.join(p.dir, 'wrong'), 'not-the-secret')
        pw = write(os.path.join(p.dir, 'pw'), 'alice-pw')

        r = subprocess.run([PROBE, 'component', str(p.component_port), COMPONENT, wrong],
                           stdout=subprocess.PIPE, text=True, timeout=30)
        expect(r.returncode == 2 and 'connect-failed' in r.stdout,
               'a wrong component secret was not refused: %r' % r.stdout)
        expect('Component authentication failed' in p.log_tail(),
               'prosody did not report the refused handshake:\n' + p.log_tail())

        comp = subprocess.Popen([PROBE, 'component', str(p.component_port), COMPONENT, secret],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            line = comp.stdout.readline().strip()
            expect(line == 'ready', 'component did not connect: %r\n%s' % (line, p.log_tail()))

            r = subprocess.run([PROBE, 'client', str(p.c2s_port), 'alice@localhost', pw, '-',
                                COMPONENT], stdout=subprocess.PIPE, text=True, timeout=60)
            expect(r.returncode == 2 and 'connect-failed' in r.stdout,
                   'an untrusted certificate was accepted: %r' % r.stdout)

            r = subprocess.run([PROBE, 'client', str(p.c2s_port), 'alice@localhost', pw,
                                p.cert_path, COMPONENT],
                               stdout=subprocess.PIPE, text=True, timeout=60)
            out = r.stdout.splitlines()
            expect(r.returncode == 0, 'client failed (%d): %r\n%s' % (r.returncode, out,
                                                                        p.log_tail()))
            expect(any(l.startswith('connected alice@localhost/') for l in out), out)
            expect('item %s OTR Prekey Server' % COMPONENT in out, out)
            expect('identity auth/otr-prekey-test' in out, out)
            expect('feature urn:example:probe' in out, out)
            expect('feature http://jabber.org/protocol/disco#info' in out, out)
            expect('component-item fingerprint 00FF' in out, out)
            expect('echo whole' in out, out)
        finally:
            comp.stdin.close()
            try:
                comp.wait(timeout=10)
            except subprocess.TimeoutExpired:
                comp.kill()
                comp.wait()
    print('PASS')


if __name__ == '__main__':
    try:
        main()
    except (Failure, prosody_harness.HarnessError) as e:
        print('FAIL:', e)
        sys.exit(1)
