"""A throwaway prosody for end-to-end tests (issues 18 and 19).

Everything lives in a temporary directory: the configuration, the data
directory (accounts, offline messages), the log and a self-signed
certificate generated here (openssl) for the virtual host. Prosody listens on
127.0.0.1 only, on free ports: c2s (STARTTLS offered and required) and the
XEP-0114 component port. mod_offline is on. Accounts are registered with
prosodyctl against this configuration. When prosody or openssl is missing,
start() raises HarnessError with the reason (a test never skips silently).

    with Prosody(components={'prekey.localhost': 'secret'}) as p:
        p.register('alice', 'pw')
        ... p.c2s_port, p.component_port, p.cert_path ...
"""
import os
import queue
import shutil
import socket
import subprocess
import tempfile
import threading
import time

PROSODY = '/usr/bin/prosody'
PROSODYCTL = '/usr/bin/prosodyctl'


class HarnessError(Exception):
    pass


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _lua_string(s):
    # Only plain names and paths go into the configuration.
    if any(c in s for c in '"\\\n\r'):
        raise HarnessError('refusing to put %r in a Lua string' % s)
    return '"%s"' % s


class Prosody:
    def __init__(self, host='localhost', components=None, verbose=False):
        self.host = host
        self.components = dict(components or {})
        self.verbose = verbose
        self.proc = None
        self.dir = None

    # -- setup -------------------------------------------------------------
    def _check_programs(self):
        for prog in (PROSODY, PROSODYCTL):
            if not os.access(prog, os.X_OK):
                raise HarnessError('%s not found: install the Debian package prosody '
                                   '(tools/setup.sh)' % prog)
        if shutil.which('openssl') is None:
            raise HarnessError('openssl not found: install the Debian package openssl')

    def _make_cert(self):
        self.cert_path = os.path.join(self.dir, 'certs', self.host + '.crt')
        self.key_path = os.path.join(self.dir, 'certs', self.host + '.key')
        os.makedirs(os.path.dirname(self.cert_path))
        r = subprocess.run(
            ['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
             '-subj', '/CN=' + self.host, '-addext', 'subjectAltName=DNS:' + self.host,
             '-keyout', self.key_path, '-out', self.cert_path],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            raise HarnessError('openssl could not make the test certificate:\n' + r.stdout)

    def _write_config(self):
        self.c2s_port = free_port()
        self.component_port = free_port()
        self.data_dir = os.path.join(self.dir, 'data')
        os.makedirs(self.data_dir, mode=0o750)
        self.log_path = os.path.join(self.dir, 'prosody.log')
        self.config_path = os.path.join(self.dir, 'prosody.cfg.lua')
        lines = [
            'run_as_root = true',
            'pidfile = %s' % _lua_string(os.path.join(self.dir, 'prosody.pid')),
            'data_path = %s' % _lua_string(self.data_dir),
            'plugin_paths = {}',
            'interfaces = { "127.0.0.1" }',
            'local_interfaces = { "127.0.0.1" }',
            'c2s_interfaces = { "127.0.0.1" }',
            'c2s_ports = { %d }' % self.c2s_port,
            'c2s_direct_tls_ports = {}',
            'legacy_ssl_ports = {}',
            's2s_ports = {}',
            'component_interfaces = { "127.0.0.1" }',
            'component_ports = { %d }' % self.component_port,
            'http_ports = {}',
            'https_ports = {}',
            'c2s_require_encryption = true',
            'allow_registration = false',
            'authentication = "internal_hashed"',
            'storage = "internal"',
            'certificates = %s' % _lua_string(os.path.join(self.dir, 'certs')),
            'modules_enabled = { "roster", "saslauth", "tls", "disco", "presence", '
            '"message", "offline", "ping", "posix" }',
            'modules_disabled = { "s2s" }',
            'log = { debug = %s }' % _lua_string(self.log_path) if self.verbose
            else 'log = { info = %s }' % _lua_string(self.log_path),
            '',
            'VirtualHost %s' % _lua_string(self.host),
            '    ssl = { certificate = %s, key = %s }' % (_lua_string(self.cert_path),
                                                          _lua_string(self.key_path)),
            # Advertise the components as items of the host (XEP-0030), as
            # the prekey spec's discovery starts there.
            '    disco_items = { %s }' % ', '.join(
                '{ %s, "OTR Prekey Server" }' % _lua_string(c) for c in self.components),
            '',
        ]
        for name, secret in self.components.items():
            lines.append('Component %s' % _lua_string(name))
            lines.append('    component_secret = %s' % _lua_string(secret))
            lines.append('')
        with open(self.config_path, 'w') as f:
            f.write('\n'.join(lines))

    def _ctl(self, *args):
        r = subprocess.run([PROSODYCTL, '--config', self.config_path] + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=60)
        if r.returncode != 0:
            raise HarnessError('prosodyctl %s failed (%d):\n%s' % (args[0], r.returncode,
                                                                   r.stdout))
        return r.stdout

    def register(self, user, password):
        self._ctl('register', user, self.host, password)

    def _wait_listening(self, port, deadline):
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise HarnessError('prosody exited (%d) at start:\n%s' % (self.proc.returncode,
                                                                         self.log_tail()))
            try:
                with socket.create_connection(('127.0.0.1', port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise HarnessError('prosody does not listen on %d:\n%s' % (port, self.log_tail()))

    def log_tail(self, n=40):
        try:
            with open(self.log_path) as f:
                return ''.join(f.readlines()[-n:])
        except OSError as e:
            return '(no log: %s)' % e

    def start(self):
        self._check_programs()
        if self.dir is None:
            self.dir = tempfile.mkdtemp(prefix='prosody-test-')
            self._make_cert()
            self._write_config()
        self.proc = subprocess.Popen([PROSODY, '--config', self.config_path],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + 30
        self._wait_listening(self.c2s_port, deadline)
        # Prosody opens the component port only when a component is configured.
        if self.components:
            self._wait_listening(self.component_port, deadline)
        return self

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def cleanup(self):
        self.stop()
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.cleanup()
            raise

    def __exit__(self, *exc):
        self.cleanup()
        return False


class PrekeyServerProcess:
    """otr-prekey-server (its path `program`) with `args`, its log lines
    (stderr) read as they come."""

    def __init__(self, program, args):
        self.lines = queue.Queue()
        self.log = []
        self.proc = subprocess.Popen([program] + args, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stderr:
            self.lines.put(line.rstrip('\n'))

    def wait_event(self, event, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    break
                continue
            self.log.append(line)
            if (' event=%s' % event) in line:
                return line
        raise HarnessError('no %s from the server; its log:\n%s' % (event, '\n'.join(self.log)))

    def drain(self):
        while not self.lines.empty():
            self.log.append(self.lines.get())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
