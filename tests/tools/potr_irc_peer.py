"""A tiny IRC client speaking OTR through python-potr 1.0.2 (v2 only): the
peer of `otr chat` in chat_e2e_test.py. It talks to one nick, echoes every
private message back as "echo: <text>", answers SMP questions with --secret,
starts SMP itself (question "Bot question?") when told "verify me", sends
a NOTICE (with a BEL in it) when told "notice me", and
prints what happens on stdout, one "POTR ..." line each. "quit" on stdin
ends it. Run with /usr/bin/python3.

Usage: potr_irc_peer.py --irc HOST:PORT --nick N --peer N --secret S
                        --compat PATH/potr_compat.py
"""
import argparse
import os
import select
import socket
import sys

MAX_LINE = 512


def say(text):
    print('POTR ' + text, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--irc', required=True)
    ap.add_argument('--nick', required=True)
    ap.add_argument('--peer', required=True)
    ap.add_argument('--secret', required=True)
    ap.add_argument('--compat', required=True)
    args = ap.parse_args()

    sys.path.insert(0, os.path.dirname(os.path.abspath(args.compat)))
    from potr_compat import patch_potr_crypto
    from potr import context, crypt, proto
    from potr.compatcrypto import pycrypto as potr_pycrypto
    patch_potr_crypto()

    host, port = args.irc.rsplit(':', 1)
    sock = socket.create_connection((host, int(port)))

    def send_line(line):
        data = (line + '\r\n').encode('utf-8')
        assert len(data) <= MAX_LINE, 'line of %d bytes' % len(data)
        sock.sendall(data)

    def privmsg(text):
        if isinstance(text, bytes):
            text = text.decode('utf-8', 'replace')
        send_line('PRIVMSG %s :%s' % (args.peer, text))

    # ":pybot!~pybot@127.0.0.1 PRIVMSG carol :" plus CR LF: stay well below.
    max_size = MAX_LINE - 2 - len(':%s!~%s@127.0.0.1 PRIVMSG %s :' %
                                  (args.nick, args.nick, args.peer)) - 20

    class Account(context.Account):
        def __init__(self, key):
            super().__init__(args.nick, 'irc', max_size, privkey=key)

        def loadPrivkey(self):
            return self.privkey

        def savePrivkey(self):
            pass

        def saveTrusts(self):
            pass

    class Ctx(context.Context):
        def getPolicy(self, key):
            return key in ('ALLOW_V2', 'WHITESPACE_START_AKE', 'ERROR_START_AKE')

        def inject(self, msg, appdata=None):
            privmsg(msg)

    account = Account(potr_pycrypto.DSAKey.generate())
    ctx = Ctx(account, args.peer)

    send_line('NICK ' + args.nick)
    send_line('USER %s 0 * :potr peer' % args.nick)

    buffer = b''
    registered = False
    state = ctx.state
    smp_prog = None

    def after_receive():
        nonlocal state, smp_prog
        if ctx.state != state:
            state = ctx.state
            say({context.STATE_ENCRYPTED: 'secure', context.STATE_PLAINTEXT: 'insecure',
                 context.STATE_FINISHED: 'finished'}[state])
        smp = ctx.crypto.smp
        prog = smp.prog if smp else None
        if prog != smp_prog:
            smp_prog = prog
            if prog == crypt.SMPPROG_SUCCEEDED:
                say('smp succeeded')
            elif prog == crypt.SMPPROG_FAILED:
                say('smp failed')
            elif prog == crypt.SMPPROG_CHEATED:
                say('smp cheated')

    def on_privmsg(text):
        try:
            plain, tlvs = ctx.receiveMessage(text.encode('utf-8'))
        except (context.NotOTRMessage, context.UnencryptedMessage) as e:
            say('plaintext: %s' % e.args[0].decode('utf-8', 'replace')
                if isinstance(e.args[0], bytes) else e.args[0])
            return
        except context.ErrorReceived as e:
            say('error received: %r' % (e.args[0].error,))
            return
        except crypt.InvalidParameterError as e:
            say('invalid: %r' % (e.args,))
            return
        for t in tlvs:
            if isinstance(t, (proto.SMP1TLV, proto.SMP1QTLV)):
                question = t.msg.decode('utf-8') if isinstance(t, proto.SMP1QTLV) else ''
                say('smp asked: %s' % question)
                smp_prog_reset()
                ctx.smpGotSecret(args.secret.encode('utf-8'))
        after_receive()
        if plain is None or ctx.state != context.STATE_ENCRYPTED:
            return
        plain = plain.decode('utf-8', 'replace')
        if plain == 'notice me':
            send_line('NOTICE %s :a notice for %s \x07' % (args.peer, args.peer))
        elif plain == 'verify me':
            say('smp started')
            smp_prog_reset()
            ctx.smpInit(args.secret.encode('utf-8'), b'Bot question?')
        else:
            ctx.sendMessage(context.FRAGMENT_SEND_ALL, ('echo: ' + plain).encode('utf-8'))

    def smp_prog_reset():
        nonlocal smp_prog
        smp_prog = None

    while True:
        ready, _, _ = select.select([sock, sys.stdin], [], [], 30)
        if sys.stdin in ready:
            line = sys.stdin.readline()
            if not line or line.strip() == 'quit':
                send_line('QUIT :bye')
                sock.close()
                return 0
        if sock in ready:
            data = sock.recv(4096)
            if not data:
                say('disconnected')
                return 3
            buffer += data
            while b'\n' in buffer:
                raw, buffer = buffer.split(b'\n', 1)
                line = raw.rstrip(b'\r').decode('utf-8', 'replace')
                prefix = ''
                if line.startswith(':'):
                    prefix, line = line[1:].split(' ', 1)
                command, _, rest = line.partition(' ')
                if command == 'PING':
                    send_line('PONG ' + rest)
                elif command == '001' and not registered:
                    registered = True
                    say('connected')
                elif command == 'PRIVMSG':
                    target, _, text = rest.partition(' :')
                    if prefix.split('!')[0].lower() == args.peer.lower():
                        on_privmsg(text)


if __name__ == '__main__':
    sys.exit(main())
