"""A line-oriented child process for the end-to-end tests: `otr chat` (or a
peer program) written to on stdin and read line by line from stdout, each
step with a timeout (a hang is a failure, never a skip)."""
import os
import queue
import re
import signal
import subprocess
import threading
import time


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


class Processes:
    """Every child a test started, each in its own process group, stopped
    together at the end."""

    def __init__(self):
        self.procs = []

    def start(self, args, **kw):
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True, **kw)
        self.procs.append(proc)
        return proc

    def stop_all(self):
        for p in self.procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for p in self.procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


class LineProcess:
    def __init__(self, procs, name, args, step_timeout, deadline, verbose=False):
        self.name = name
        self.step_timeout = step_timeout
        self.deadline = deadline  # time.monotonic() by which the whole test ends
        self.verbose = verbose
        self.proc = procs.start(args)
        self.lines = queue.Queue()
        self.transcript = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.proc.stdout:
            self.lines.put(raw.decode('utf-8', 'replace').rstrip('\n'))
        self.lines.put(None)

    def send(self, line):
        if self.verbose:
            print('%s < %s' % (self.name, line[:200]), flush=True)
        self.proc.stdin.write((line + '\n').encode())
        self.proc.stdin.flush()

    def expect(self, pattern, forbid=None):
        """Reads lines until one matches `pattern` (a regex); fails on a line
        matching `forbid` first, on end of output or on timeout."""
        end = min(time.monotonic() + self.step_timeout, self.deadline)
        while True:
            left = end - time.monotonic()
            expect(left > 0, '%s: timed out waiting for %r' % (self.name, pattern))
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            expect(line is not None,
                   '%s: exited (%s) while waiting for %r' % (self.name, self.proc.poll(), pattern))
            self.transcript.append(line)
            if self.verbose:
                print('%s > %s' % (self.name, line[:200]), flush=True)
            if forbid and re.search(forbid, line):
                raise Failure('%s printed %r while waiting for %r' % (self.name, line, pattern))
            m = re.search(pattern, line)
            if m:
                return m

    def wait(self, timeout=10):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Failure('%s did not exit' % self.name)

    def quit(self):
        self.send('/quit')
        # Drain what is left so the child never blocks on a full pipe.
        while self.lines.get(timeout=10) is not None:
            pass
        return self.wait()
