"""`otr chat` (v4 allowed, the default) against the real IRC clients'
OTR: irssi with its OTR module (libotr 4.1.1) and WeeChat with its otr.py
script (python-potr), each driven headless under tmux (a private socket)
with a home directory and configuration made by the test, through an ngircd
the test starts on 127.0.0.1.

In each direction (the client starts OTR, then `otr chat` does): the
version negotiated (our status line, and the version field of the OTR
messages the client sends, from the client's raw IRC log), messages both
ways, a long message both ways (fragmented), SMP with a question (a wrong
secret and then the right one, asked by us and answered at the client's
prompt; asked by the client and answered by us), trust (`otr fingerprint`,
`otr untrust`, `otr trust` on the client's fingerprint, which the client
printed itself) and the end (the client's /otr finish reported by us, then
our /otr end reported by the client). Then a new `otr chat` with the
opportunistic policy: its whitespace-tagged plaintext makes the client start
the AKE.

Versions: irssi's libotr offers "?OTRv23?" and speaks v3; WeeChat's otr.py
speaks only v2 (python-potr implements OTR v1 and v2: "This script supports
only OTR protocol version 2", otr.py's help), so against WeeChat `otr chat`
falls back to v2, not v3.

WeeChat on Debian 12 cannot run otr.py as shipped: python3-potr 1.0.2's
crypto fails against pycryptodome 3.11 (pure-python-otr issue #68; key
generation raises "AttributeError: key", and signing, verifying and
AES-CTR raise likewise). And otr.py 1.9.3 hands SMP secrets and questions
to potr as str where potr wants bytes on Python 3: "/otr smp respond" and
"/otr smp ask" raise "TypeError: can't concat str to bytes" in potr's
crypt.py (SMP cannot be used from WeeChat on Debian 12 as shipped). The
test loads the unchanged /usr/share/weechat/python/otr.py through a small
loader (WEECHAT_LOADER) that first applies tests/interop/potr_compat.py,
the same patch the potr interop tests use, and encodes SMP secrets and
questions to UTF-8 bytes on their way into potr.

Usage: irc_clients_e2e_test.py <otr binary> <potr_compat.py> irssi|weechat [-v]
Run with /usr/bin/python3.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import line_process as lp  # beside this file (also in the runfiles)

OTR, POTR_COMPAT, CLIENT = sys.argv[1:4]
VERBOSE = '-v' in sys.argv[4:]
DEADLINE = time.monotonic() + 240  # the whole run; a hang is a failure
STEP_TIMEOUT = 30
PROCS = lp.Processes()
TMUX_SOCKETS = []


Failure = lp.Failure
expect = lp.expect


def need_program(path, package):
    """A missing client fails the test with the reason (never a skip)."""
    expect(shutil.which(path) is not None,
           '%s not found: install the Debian package %s (tools/setup.sh)' % (path, package))


def need_file(path, package):
    expect(os.path.exists(path),
           '%s not found: install the Debian package %s (tools/setup.sh)' % (path, package))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def start(args, **kw):
    return PROCS.start(args, **kw)


# tmux's sockets go in a directory of the test's (short: a socket path has
# at most 107 bytes), removed at the end.
TMUX_DIR = tempfile.mkdtemp(prefix='otr-tmux-')
os.environ['TMUX_TMPDIR'] = TMUX_DIR


def stop_all():
    for sock in TMUX_SOCKETS:
        subprocess.run(['tmux', '-L', sock, 'kill-server'], capture_output=True, timeout=10)
    shutil.rmtree(TMUX_DIR, ignore_errors=True)
    PROCS.stop_all()


def ngircd(work):
    need_program('ngircd', 'ngircd')
    port = free_port()
    conf = os.path.join(work, 'ngircd.conf')
    with open(conf, 'w') as f:
        f.write('\n'.join([
            '[Global]', 'Name = irc.test', 'Info = otr chat client test',
            'Listen = 127.0.0.1', 'Ports = %d' % port, 'MotdPhrase = test',
            'AdminInfo1 = test', 'AdminInfo2 = test', 'AdminEMail = test@test',
            '[Limits]', 'MaxConnectionsIP = 0', 'MaxNickLength = 30',
            'MaxPenaltyTime = 0', '[Options]', 'DNS = no', 'Ident = no', 'PAM = no', '']))
    proc = start(['ngircd', '--nodaemon', '--config', conf])
    for _ in range(100):
        try:
            socket.create_connection(('127.0.0.1', port), timeout=1).close()
            return port
        except OSError:
            time.sleep(0.05)
    raise Failure('ngircd did not start: %r' % proc.stdout.read1(4096))


def OtrChat(args):
    """`otr chat`, line by line on its stdin and stdout."""
    return lp.LineProcess(PROCS, 'otr', [OTR, 'chat'] + args, STEP_TIMEOUT, DEADLINE, VERBOSE)


class TmuxClient:
    """A terminal client in a detached tmux session on a private socket:
    keys in with send-keys, its text log (and raw IRC log) read back."""

    def __init__(self, name, command, env, log, raw_log, work):
        need_program('tmux', 'tmux')
        self.name = name
        self.sock = 'otr-e2e-%s-%d' % (name, os.getpid())
        self.log = log
        self.raw_log = raw_log
        self.offset = 0
        self.pending = ''
        self.unread = []  # lines read from the log, not yet looked at
        self.work = work
        TMUX_SOCKETS.append(self.sock)
        # -f /dev/null: no tmux configuration of the user's.
        r = subprocess.run(['tmux', '-L', self.sock, '-f', '/dev/null', 'new-session', '-d',
                            '-x', '220', '-y', '50', command],
                           env=dict(env, TMUX_TMPDIR=TMUX_DIR), capture_output=True, text=True,
                           timeout=30)
        expect(r.returncode == 0, '%s: tmux failed to start it: %s' % (name, r.stderr))

    def keys(self, text):
        if VERBOSE:
            print('%s < %s' % (self.name, text), flush=True)
        for args in (['-l', text], ['Enter']):
            r = subprocess.run(['tmux', '-L', self.sock, 'send-keys', '-t', '0'] + args,
                               capture_output=True, text=True, timeout=10)
            expect(r.returncode == 0, '%s: send-keys failed (%s): is it still running? %s'
                   % (self.name, r.stderr.strip(), self.screen()))

    def screen(self):
        r = subprocess.run(['tmux', '-L', self.sock, 'capture-pane', '-p', '-t', '0'],
                           capture_output=True, text=True, timeout=10)
        return '\n'.join(l for l in r.stdout.splitlines() if l.strip())[-3000:]

    def read_log(self, path):
        """From now on expect() reads `path` (WeeChat logs per buffer)."""
        self.log, self.offset, self.pending, self.unread = path, 0, '', []

    def _new_lines(self):
        try:
            with open(self.log, 'rb') as f:
                f.seek(self.offset)
                data = f.read()
        except FileNotFoundError:
            return []
        self.offset += len(data)
        self.pending += data.decode('utf-8', 'replace')
        *lines, self.pending = self.pending.split('\n')
        # otr.py's multi-line texts end their lines in CR LF.
        return [l.rstrip('\r') for l in lines]

    def expect(self, pattern, forbid=None):
        """Reads the client's log until a line matches `pattern`."""
        end = min(time.monotonic() + STEP_TIMEOUT, DEADLINE)
        while True:
            self.unread.extend(self._new_lines())
            while self.unread:
                line = self.unread.pop(0)
                if VERBOSE:
                    print('%s > %s' % (self.name, line[:300]), flush=True)
                if forbid and re.search(forbid, line):
                    raise Failure('%s printed %r while waiting for %r' % (self.name, line, pattern))
                m = re.search(pattern, line)
                if m:
                    return m
            if time.monotonic() > end:
                raise Failure('%s: timed out waiting for %r; its screen:\n%s'
                              % (self.name, pattern, self.screen()))
            time.sleep(0.1)

    def raw_text(self):
        if self.raw_log:
            with open(self.raw_log, 'rb') as f:
                return f.read().decode('utf-8', 'replace')
        # WeeChat keeps its raw IRC buffer out of its logs (local variable
        # no_log): it is shown, read off the screen, and left.
        self.keys('/buffer irc_raw')
        time.sleep(1)
        r = subprocess.run(['tmux', '-L', self.sock, 'capture-pane', '-p', '-J', '-S', '-',
                            '-t', '0'], capture_output=True, text=True, timeout=10)
        self.keys('/buffer irc.test.bob')
        return r.stdout

    def sent_otr_versions(self):
        """Protocol versions in the OTR messages the client sent, read from
        the first bytes of their base64 (a 2-byte version, otr v3 spec
        "Data types"; "AAM" is version 3, "AAI" version 2)."""
        raw = self.raw_text()
        versions = set()
        for m in re.finditer(r'PRIVMSG bob :(?:\?OTR[|,][^:]*)?\?OTR:(AA[A-Za-z0-9+/])', raw):
            versions.add({'AAI': 2, 'AAM': 3, 'AAQ': 4}.get(m.group(1), m.group(1)))
        return versions


def keygen(home, account):
    r = subprocess.run([OTR, 'keygen', '--dir', home, '--account', account],
                       capture_output=True, text=True, timeout=60)
    expect(r.returncode == 0, 'otr keygen: %s' % r.stderr)


def otr_cli(*args):
    r = subprocess.run([OTR] + list(args), capture_output=True, text=True, timeout=30)
    expect(r.returncode == 0, 'otr %s failed: %s' % (' '.join(args), r.stderr))
    return r.stdout


def start_irssi(work, port):
    need_program('irssi', 'irssi')
    need_file('/usr/lib/x86_64-linux-gnu/irssi/modules/libotr_core.so', 'irssi-plugin-otr')
    home = os.path.join(work, 'irssi-home')
    conf = os.path.join(home, '.irssi')
    os.makedirs(conf)
    log = os.path.join(work, 'irssi.log')
    raw = os.path.join(work, 'irssi.raw')
    with open(os.path.join(conf, 'config'), 'w') as f:
        # No output queue: irssi otherwise sends 5 lines at once and then
        # one every 2.2 s, so a fragmented OTR message takes seconds.
        f.write('servers = ( { address = "127.0.0.1"; chatnet = "test"; port = "%d"; '
                'autoconnect = "yes"; cmd_queue_speed = "1"; cmds_max_at_once = "100"; } );\n'
                % port)
        f.write('chatnets = { test = { type = "IRC"; }; };\n')
        f.write('settings = { core = { real_name = "ivy"; user_name = "ivy"; nick = "ivy"; '
                'write_buffer_size = "0"; write_buffer_timeout = "0"; }; };\n')
    # Commands irssi runs at start: the OTR module, a log of every window.
    with open(os.path.join(conf, 'startup'), 'w') as f:
        f.write('/load otr\n/log open %s ALL\n' % log)
    env = {'HOME': home, 'TERM': 'xterm', 'PATH': '/usr/bin:/bin', 'LANG': 'C.UTF-8'}
    return TmuxClient('irssi', 'irssi --home=%s' % conf, env, log, raw, work)


WEECHAT_LOADER = '''# Loads WeeChat's otr.py (weechat-scripts) as it is, on a potr made usable.
import sys
sys.path.insert(0, %r)
import potr_compat
potr_compat.patch_potr_crypto()
from potr import crypt
_smp_secret = crypt.CryptEngine.smpSecret
def _as_bytes(text):
    return text.encode('utf-8') if isinstance(text, str) else text
def smp_secret(self, secret, question=None, appdata=None):
    return _smp_secret(self, _as_bytes(secret), question=_as_bytes(question), appdata=appdata)
crypt.CryptEngine.smpSecret = smp_secret
with open('/usr/share/weechat/python/otr.py') as f:
    exec(compile(f.read(), '/usr/share/weechat/python/otr.py', 'exec'))
'''


def start_weechat(work, port):
    need_program('weechat', 'weechat-curses')
    need_file('/usr/share/weechat/python/otr.py', 'weechat-scripts')
    need_file('/usr/lib/x86_64-linux-gnu/weechat/plugins/python.so', 'weechat-python')
    home = os.path.join(work, 'weechat-home')
    autoload = os.path.join(home, 'python', 'autoload')
    os.makedirs(autoload)
    logs = os.path.join(work, 'weechat-logs')
    # otr.py unchanged, after potr's crypto is made to work and SMP secrets
    # and questions are given to potr as bytes (see above).
    with open(os.path.join(autoload, 'otr.py'), 'w') as f:
        f.write(WEECHAT_LOADER % os.path.dirname(os.path.abspath(POTR_COMPAT)))
    commands = ';'.join([
        '/set logger.file.path %s' % logs, '/set logger.file.flush_delay 0',
        '/set logger.file.mask $plugin.$name.log', '/set logger.level.irc 9',
        # otr.py turns a buffer's log off while it is encrypted unless told
        # otherwise; the test reads that log.
        '/set otr.policy.default.log on',
        '/server add test 127.0.0.1/%d' % port, '/set irc.server.test.nicks wren',
        # WeeChat's anti-flood queue sends one line every 2 s; an SMP
        # message is several fragments.
        '/set irc.server.test.anti_flood_prio_high 0', '/set irc.server.test.anti_flood_prio_low 0',
        '/server raw', '/buffer 1', '/python list', '/connect test'])
    env = {'HOME': home, 'TERM': 'xterm', 'PATH': '/usr/bin:/bin', 'LANG': 'C.UTF-8'}
    client = TmuxClient('weechat', 'weechat --dir %s -r %s' % (home, shlex_quote(commands)),
                        env, os.path.join(logs, 'irc.test.bob.log'),
                        None, work)
    client.core_log = os.path.join(logs, 'core.weechat.log')
    client.server_log = os.path.join(logs, 'irc.server.test.log')
    client.query_log = client.log
    return client


def shlex_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


# What each client prints, as regexes over its log lines.
IRSSI = {
    'fingerprint': r'Fingerprint for test: ([0-9A-F]{8}(?: [0-9A-F]{8}){4})',
    'secure': r'Session secured',
    'peer_fp': r'OTR key fingerprint: ([0-9A-F ]+) for bob',
    'message': r'<.?bob> %s$',
    'smp_question': r'Question: (.*)$',
    'smp_success': r'Authentication with bob successful',
    'smp_failed': r'Authentication with bob failed',
    'peer_ended': r'bob has finished the OTR session',
    'version_printed': None,
}


# otr.py's lines in WeeChat's log of the query buffer ("date<TAB>nick<TAB>text").
WEECHAT = {
    'own_fp': r'Your fingerprint : ([0-9A-F]{8}(?: [0-9A-F]{8}){4})$',
    'secure': r'secured OTR conversation started\.|Private conversation has been refreshed',
    'peer_fp': r"bob@test's fingerprint : ([0-9A-F ]+)$",
    'message': r'\tbob\t%s$',
    'smp_question': r'Peer has requested SMP verification: (.*)$',
    'smp_success': r'SMP verification succeeded',
    'smp_failed': r'SMP verification failed|SMP aborted',
    'peer_ended': r'bob has ended the private conversation',
}


def weechat_commands(c):
    return {
        'open': lambda: c.keys('/query bob'),
        'start': lambda: c.keys('/otr start'),
        'say': c.keys,
        'ask': lambda q, s: c.keys("/otr smp ask '%s' %s" % (q, s)),
        'answer': lambda s: c.keys('/otr smp respond %s' % s),
        'finish': lambda: c.keys('/otr finish'),
    }


def irssi_commands(c):
    return {
        'open': lambda: c.keys('/query bob'),
        'start': lambda: c.keys('/otr init'),
        'say': c.keys,
        'ask': lambda q, s: c.keys('/otr authq "%s" %s' % (q, s)),
        'answer': lambda s: c.keys('/otr auth %s' % s),
        'finish': lambda: c.keys('/otr finish'),
    }


def scenario(client, cmds, printed, our, fp_ours, work, home, version):
    """One conversation; `client` starts it the first time, we the second."""
    cmds['open']()
    client_fp = None
    for starter in ('client', 'us'):
        if starter == 'client':
            cmds['start']()
        else:
            our.send('/otr start')
        m = our.expect(r'^\[otr\] secure: private conversation with %s \(OTR v(\d)\), '
                       r'fingerprint ([0-9A-F ]+) \(' % client.nick)
        expect(int(m.group(1)) == version, 'we negotiated v%s, not v%d' % (m.group(1), version))
        print('%s, started by %s: our side reports "OTR v%s"' % (client.name, starter, m.group(1)),
              flush=True)
        client_fp = m.group(2)
        # The fallback from v4 is said, never silent (docs/decisions/0011).
        our.expect(r'^\[otr\] warning: OTR version %d with %s, not version 4: either %s.s client '
                   r'speaks only version %d,' % (version, client.nick, client.nick, version))
        client.expect(printed['secure'])
        if client.fingerprint is None:
            # WeeChat's otr.py makes its key at the first AKE and prints it
            # among the verification hints.
            client.fingerprint = client.expect(printed['own_fp']).group(1)
        if starter == 'client':
            # Printed while we are not verified (the second time we are).
            m = client.expect(printed['peer_fp'])
            expect(m.group(1) == fp_ours, '%s sees our fingerprint as %s, not %s'
                   % (client.name, m.group(1), fp_ours))
        expect(client_fp == client.fingerprint, 'we see %s, %s printed its own as %s'
               % (client_fp, client.name, client.fingerprint))

        our.send('/status')
        our.expect(r'^\[otr\] status: private \(OTR v%d\), %s.s fingerprint %s'
                   % (version, client.nick, client.fingerprint))

        # Messages both ways, decrypted.
        tag = '%s-%s' % (client.name, starter)
        cmds['say']('hello from %s' % tag)
        our.expect(r'^<%s:private> hello from %s$' % (client.nick, tag), forbid=r':PLAINTEXT>')
        our.send('hello from otr chat %s' % tag)
        client.expect(printed['message'] % re.escape('hello from otr chat %s' % tag),
                      forbid=r'\?OTR')
        # Long messages: ours (2004 bytes) is fragmented by us; the
        # client's fits its input line but not one IRC line once encrypted,
        # so the client fragments it.
        long_ours = 'long-%s:' % tag + ' '.join('%04d' % i for i in range(400))
        our.send(long_ours)
        client.expect(printed['message'] % re.escape(long_ours), forbid=r'\?OTR')
        long_theirs = 'long-%s:' % tag + ' '.join('%03d' % i for i in range(90))
        cmds['say'](long_theirs)
        m = our.expect(r'^<%s:private> (long-.*)$' % client.nick)
        expect(m.group(1) == long_theirs, 'the client\'s long message arrived changed: %r'
               % m.group(1))
        versions = client.sent_otr_versions()
        expect(versions == {version}, '%s sent OTR messages of versions %s' % (client.name, versions))
        print('%s, started by %s: the OTR messages %s sent are version %s'
              % (client.name, starter, client.name, sorted(versions)), flush=True)

        # SMP asked by us with a question: a wrong answer, then the right one.
        our.send('/smp-q Which tree? oak')
        m = client.expect(printed['smp_question'])
        expect('Which tree?' in m.group(1), 'question shown as %r' % m.group(1))
        cmds['answer']('elm')
        our.expect(r'^\[smp\] failed: ', forbid=r'^\[smp\] success')
        client.expect(printed['smp_failed'], forbid=printed['smp_success'])
        our.send('/smp-q Which tree? oak')
        client.expect(printed['smp_question'])
        cmds['answer']('oak')
        our.expect(r'^\[smp\] success: .*%s is verified$' % client.fingerprint)
        client.expect(printed['smp_success'], forbid=printed['smp_failed'])
        # SMP asked by the client with a question, answered by us.
        cmds['ask']('Favourite colour?', 'blue')
        our.expect(r'^\[smp\] %s wants to verify you and asks: Favourite colour\?' % client.nick)
        our.send('/smp blue')
        our.expect(r'^\[smp\] success: you answered %s.s question correctly' % client.nick)
        client.expect(printed['smp_success'], forbid=printed['smp_failed'])

        # Trust: our store has the client's fingerprint, verified by SMP;
        # the CLI takes it away and gives it back.
        listed = otr_cli('fingerprint', '--dir', home, '--peer', client.nick)
        expect('\t%s\tsmp\n' % client.fingerprint in listed, 'our store: %r' % listed)
        r = otr_cli('untrust', '--dir', home, '--peer', client.nick, client.fingerprint)
        expect(r.startswith('untrusted '), 'otr untrust: %r' % r)
        listed = otr_cli('fingerprint', '--dir', home, '--peer', client.nick)
        expect('\t%s\tunverified\n' % client.fingerprint in listed, 'after untrust: %r' % listed)
        r = otr_cli('trust', '--dir', home, '--peer', client.nick,
                    client.fingerprint.replace(' ', ''))
        expect(r.startswith('trusted '), 'otr trust: %r' % r)
        listed = otr_cli('fingerprint', '--dir', home, '--peer', client.nick)
        expect('\t%s\tverified\n' % client.fingerprint in listed, 'after trust: %r' % listed)

        # The end: the client's /otr finish the first time, ours the second.
        if starter == 'client':
            cmds['finish']()
            our.expect(r'^\[otr\] insecure: %s ended the private conversation' % client.nick)
            our.send('/otr end')
            our.expect(r'^\[otr\] insecure: ')
        else:
            our.send('/otr end')
            our.expect(r'^\[otr\] insecure: ')
            client.expect(printed['peer_ended'])
            cmds['finish']()


def opportunistic(client, printed, port, home, version):
    """Our whitespace tag (opportunistic policy) makes the client start the
    AKE: the text arrives as plaintext, then the conversation is private."""
    our = OtrChat(['--irc', '127.0.0.1:%d' % port, '--nick', 'bob', '--peer', client.nick,
                   '--dir', home, '--policy', 'opportunistic'])
    our.expect(r'^\[irc\] connected to ')
    our.send('hello with a whitespace tag')
    our.expect(r'^\[sent:PLAINTEXT\] hello with a whitespace tag$')
    # irssi (libotr) shows the text without the tag; our zero-width guard
    # after the tag stays and is invisible. WeeChat shows the tag too (as
    # spaces and tabs at the end): otr.py displays the raw line when potr
    # reports a tagged plaintext (potr's NotOTRMessage carries the text
    # without the tag, otr.py does not use it).
    m = client.expect(printed['message'] % 'hello with a whitespace tag([ \t]*)\u200b?')
    expect((m.group(1) != '') == (client.name == 'weechat'),
           '%s showed %r after the text' % (client.name, m.group(1)))
    m = our.expect(r'^\[otr\] secure: private conversation with %s \(OTR v(\d)\)' % client.nick)
    expect(int(m.group(1)) == version, 'the tag led to v%s' % m.group(1))
    client.expect(printed['secure'])
    our.send('private after the tag')
    client.expect(printed['message'] % 'private after the tag', forbid=r'\?OTR')
    print('%s: started the AKE on our whitespace tag (OTR v%s)' % (client.name, m.group(1)),
          flush=True)
    expect(our.quit() == 0, 'otr chat exit status %s' % our.proc.returncode)


def main():
    work = tempfile.mkdtemp(dir=os.environ.get('TEST_TMPDIR'))
    t0 = time.monotonic()
    try:
        port = ngircd(work)
        home = os.path.join(work, 'bob')
        keygen(home, 'bob@127.0.0.1')
        fp_ours = None
        for line in otr_cli('fingerprint', '--dir', home).splitlines():
            if line.startswith('ours\t'):
                fp_ours = line.split('\t')[3].strip()
        if CLIENT == 'irssi':
            client = start_irssi(work, port)
            client.nick = 'ivy'
            client.expect(r'Welcome to the Internet Relay Network ivy!',
                          forbid=r'Error loading module otr|Unknown settings')
            client.keys('/rawlog open %s' % client.raw_log)
            # irssi's own key (libotr's otrl_privkey_generate), for its
            # network "test".
            client.keys('/otr genkey test')
            client.expect(r'OTR key generation for test completed',
                          forbid=r'Unknown command: otr|generation for test failed')
            client.keys('/otr info')
            client.fingerprint = client.expect(IRSSI['fingerprint']).group(1)
            printed, cmds, version = IRSSI, irssi_commands(client), 3
        elif CLIENT == 'weechat':
            client = start_weechat(work, port)
            client.nick = 'wren'
            client.read_log(client.core_log)
            # "/python list" at start lists the scripts loaded.
            client.expect(r'\t  otr v1\.9\.\d', forbid=r'python: unable to|error in function|Traceback')
            client.read_log(client.server_log)
            client.expect(r'Welcome to the Internet Relay Network wren!')
            client.read_log(client.query_log)
            client.fingerprint = None
            printed, cmds, version = WEECHAT, weechat_commands(client), 2
        else:
            raise Failure('unknown client %r' % CLIENT)
        our = OtrChat(['--irc', '127.0.0.1:%d' % port, '--nick', 'bob', '--peer', client.nick,
                       '--dir', home])
        our.expect(r'^\[otr\] our v4 fingerprint: ')
        scenario(client, cmds, printed, our, fp_ours, work, home, version)
        expect(our.quit() == 0, 'otr chat exit status %s' % our.proc.returncode)
        opportunistic(client, printed, port, home, version)
        print('PASS %s (%.1f s)' % (CLIENT, time.monotonic() - t0), flush=True)
        return 0
    except Failure as e:
        print('FAIL %s: %s' % (CLIENT, e), flush=True)
        return 1
    finally:
        stop_all()


if __name__ == '__main__':
    sys.exit(main())
