#!/usr/bin/env python3
"""The owner's phone, played by slixmpp (an XMPP client nobody on this project wrote).

Control mode (for C++ tests): one JSON object per line on stdin, events as JSON lines on stdout.
  in:  {"cmd": "send", "to": JID, "body": TEXT} | {"cmd": "download", "url": URL, "path": FILE}
       | {"cmd": "presence"} | {"cmd": "subscribe", "to": BARE_JID} | {"cmd": "raw", "xml": STANZA} | {"cmd": "quit"}
       | {"cmd": "probe", "to": JID} | {"cmd": "flood", "to": [JID...], "count": N, "seed": S, "max_bytes": B}
       | {"cmd": "sync"}
       (raw: a stanza written as it is, e.g. a hand-made XEP-0297 wrapper; the server stamps its "from")
       (probe: what a curious stranger asks: a message requesting a receipt, version, time, disco info and items,
        ping, vCard, last activity, a subscription; ids start with "probe-")
       (flood: N random messages, see flood_stanzas(); sync: a ping to our server, answered once it has handled
        everything sent before it)
  out: {"event": "connected", "jid": FULL_JID} | {"event": "message", "from", "to", "body", "oob_url", "delayed", "id"}
       | {"event": "presence", "from", "type", "status"}  (every presence stanza received; type is slixmpp's:
         available/away/.../unavailable/subscribe/subscribed/unsubscribed/unsubscribe)
       | {"event": "downloaded", "url", "path", "bytes", "content_type"} | {"event": "error", "what"}
       | {"event": "stanza", "from", "tag", "type", "id", "xml"}  (with --record-from BARE: every stanza from BARE)
       | {"event": "probed", "ids"} | {"event": "flooded", "count", "bytes"} | {"event": "synced"}
Script mode (the demo): --script "status;snapshot" sends each command to --to and prints what arrives;
  --expect-alert waits first for a motion alert with a picture; pictures are downloaded to --download-dir.
"""
import argparse
import asyncio
import json
import os
import random
import ssl
import sys
import time
import urllib.request

import slixmpp
from xml.sax.saxutils import escape, quoteattr


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class Phone(slixmpp.ClientXMPP):
    def __init__(self, args):
        super().__init__(args.jid, args.password)
        self.args = args
        self.ssl_context = ssl.create_default_context(cafile=args.ca)
        self.ssl_context.check_hostname = True
        self.register_plugin("xep_0030")
        self.register_plugin("xep_0066")  # out of band data
        self.register_plugin("xep_0184")  # receipts: answered automatically
        self.register_plugin("xep_0199")
        self.register_plugin("xep_0203")  # delay stamps
        self.messages = asyncio.Queue()
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("presence", self.on_presence)
        self.add_event_handler("presence_subscribe", lambda p: self.send_presence(pto=p["from"].bare, ptype="subscribed"))
        self.add_event_handler("failed_auth", lambda _: emit({"event": "error", "what": "authentication failed"}))
        if args.record_from:
            self.add_filter("in", self.record)

    def record(self, stanza):
        # every stanza from the watched account, whatever it is: a reply, a receipt, an error, a presence
        sender = stanza["from"] if "from" in stanza.interfaces else None
        if sender is not None and sender.bare.lower() == self.args.record_from.lower():
            emit({"event": "stanza", "from": str(sender), "tag": stanza.name, "type": stanza["type"] or "",
                  "id": stanza["id"] or "", "xml": str(stanza)[:400]})
        return stanza

    async def on_start(self, _):
        self.send_presence()
        await self.get_roster()
        emit({"event": "connected", "jid": str(self.boundjid)})

    def on_message(self, msg):
        if msg["type"] not in ("chat", "normal") or not msg["body"]:
            return
        record = {"event": "message", "from": str(msg["from"]), "to": str(msg["to"]), "body": msg["body"],
                  "oob_url": msg["oob"]["url"] or "", "delayed": bool(msg["delay"]["stamp"]), "id": msg["id"],
                  "time": time.time()}
        emit(record)
        self.messages.put_nowait(record)

    def on_presence(self, presence):
        emit({"event": "presence", "from": str(presence["from"]), "type": presence["type"],
              "status": presence["status"] or ""})

    def download(self, url, path):
        context = ssl.create_default_context(cafile=self.args.ca)
        with urllib.request.urlopen(url, context=context, timeout=20) as response:
            data = response.read()
            content_type = response.headers.get("Content-Type", "")
        with open(path, "wb") as f:
            f.write(data)
        return {"event": "downloaded", "url": url, "path": path, "bytes": len(data), "content_type": content_type}


PROBES = [
    "<message to={to} id='probe-receipt' type='chat'><body>status</body><request xmlns='urn:xmpp:receipts'/></message>",
    "<message to={to} id='probe-normal'><body>help</body><request xmlns='urn:xmpp:receipts'/></message>",
    "<iq to={to} id='probe-version' type='get'><query xmlns='jabber:iq:version'/></iq>",
    "<iq to={to} id='probe-time' type='get'><time xmlns='urn:xmpp:time'/></iq>",
    "<iq to={to} id='probe-disco-info' type='get'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>",
    "<iq to={to} id='probe-disco-items' type='get'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>",
    "<iq to={to} id='probe-ping' type='get'><ping xmlns='urn:xmpp:ping'/></iq>",
    "<iq to={to} id='probe-vcard' type='get'><vCard xmlns='vcard-temp'/></iq>",
    "<iq to={to} id='probe-last' type='get'><query xmlns='jabber:iq:last'/></iq>",
    "<iq to={to} id='probe-set' type='set'><query xmlns='jabber:iq:roster'><item jid='x@y'/></query></iq>",
    "<presence to={to} id='probe-presence' type='probe'/>",
]

# what a flood is made of: printable text of every script, a few bidi and zero-width marks, C1 controls, DEL, tabs
# and line breaks (XML 1.0 cannot carry the C0 controls at all: a server closes a stream that has them)
ALPHABETS = ["abcdefghijklmnopqrstuvwxyz ", "éüßçøæ€£", "中文字符日本語한국어", "😀🚪🔒📷🌡", "\u202e\u200b\u200d\ufeff",
             "".join(chr(c) for c in range(0x80, 0xa0)) + "\x7f", "\t\n\r"]
COMMANDS = ["status", "help", "events", "garage status", "mute 99999999999999999h", "snapshot", "mute until 25:99", ""]


def flood_stanzas(targets, count, seed, max_bytes):
    """count random messages: sizes log-uniform up to max_bytes, every message type, a third with an old delay stamp,
    some requesting receipts, some with only a chat state, ids repeated now and then."""
    rng = random.Random(seed)
    for i in range(count):
        kind = rng.random()
        if kind < 0.1:
            body = rng.choice(COMMANDS)
        else:
            size = int(2 ** rng.uniform(0, max_bytes.bit_length() - 1))
            alphabet = "".join(rng.sample(ALPHABETS, rng.randint(1, len(ALPHABETS))))
            body = "".join(rng.choice(alphabet) for _ in range(min(size, max_bytes) // 2 or 1))
            while len(body.encode()) > max_bytes:
                body = body[: len(body) // 2]
        mtype = rng.choice(["chat", "chat", "normal", "headline", "groupchat", "error", None, "bogus"])
        parts = ["<message to=%s id=%s" % (quoteattr(rng.choice(targets)), quoteattr("f%d" % rng.randint(0, count // 4 or 1)))]
        if mtype:
            parts.append(" type=%s" % quoteattr(mtype))
        parts.append(">")
        if rng.random() < 0.9:
            parts.append("<body>%s</body>" % escape(body))
        else:
            parts.append("<composing xmlns='http://jabber.org/protocol/chatstates'/>")
        if rng.random() < 0.33:
            parts.append("<delay xmlns='urn:xmpp:delay' stamp='2020-0%d-01T00:00:00Z'/>" % rng.randint(1, 9))
        if rng.random() < 0.3:
            parts.append("<request xmlns='urn:xmpp:receipts'/>")
        if mtype == "error":
            parts.append("<error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>")
        parts.append("</message>")
        yield "".join(parts)


async def control(phone):
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line:
            break
        try:
            cmd = json.loads(line)
        except ValueError:
            emit({"event": "error", "what": "bad command line"})
            continue
        if cmd.get("cmd") == "send":
            phone.send_message(mto=cmd["to"], mbody=cmd["body"], mtype="chat")
        elif cmd.get("cmd") == "download":
            try:
                emit(await loop.run_in_executor(None, phone.download, cmd["url"], cmd["path"]))
            except Exception as e:  # noqa: BLE001 - reported to the test
                emit({"event": "error", "what": "download failed: %s" % e})
        elif cmd.get("cmd") == "presence":
            phone.send_presence()
        elif cmd.get("cmd") == "raw":
            phone.send_raw(cmd["xml"])
        elif cmd.get("cmd") == "subscribe":
            phone.send_presence(pto=cmd["to"], ptype="subscribe")
        elif cmd.get("cmd") == "probe":
            ids = []
            for template in PROBES:
                xml = template.format(to=quoteattr(cmd["to"]))
                phone.send_raw(xml)
                ids.append(xml.split("id='")[1].split("'")[0])
            phone.send_presence(pto=cmd["to"].split("/")[0], ptype="subscribe")
            emit({"event": "probed", "ids": ids})
        elif cmd.get("cmd") == "flood":
            sent = 0
            size = 0
            for xml in flood_stanzas(cmd["to"], cmd["count"], cmd.get("seed", 1), cmd.get("max_bytes", 65536)):
                phone.send_raw(xml)
                sent += 1
                size += len(xml)
                if sent % 50 == 0:
                    await asyncio.sleep(0)  # let the stream write what is queued
            emit({"event": "flooded", "count": sent, "bytes": size})
        elif cmd.get("cmd") == "sync":
            try:
                await phone.plugin["xep_0199"].ping(jid=phone.boundjid.domain, timeout=300)
                emit({"event": "synced"})
            except Exception as e:  # noqa: BLE001 - reported to the test
                emit({"event": "error", "what": "sync failed: %s" % e})
        elif cmd.get("cmd") == "quit":
            break
    phone.disconnect()


async def next_message(phone, deadline, want_image=False):
    while True:
        remaining = deadline - time.time()
        if remaining <= 0:
            return None
        try:
            m = await asyncio.wait_for(phone.messages.get(), remaining)
        except asyncio.TimeoutError:
            return None
        if not want_image or m["oob_url"]:
            return m


async def script(phone, args):
    deadline = time.time() + args.timeout
    ok = True
    os.makedirs(args.download_dir, exist_ok=True)
    loop = asyncio.get_running_loop()

    async def fetch(m, name):
        path = os.path.join(args.download_dir, name)
        result = await loop.run_in_executor(None, phone.download, m["oob_url"], path)
        print("phone: picture saved to %s (%d bytes, %s)" % (path, result["bytes"], result["content_type"]), flush=True)

    while phone.messages.empty() and time.time() < deadline and not phone.is_connected():
        await asyncio.sleep(0.1)
    if args.expect_alert:
        print("phone: waiting for a motion alert with its picture...", flush=True)
        m = await next_message(phone, deadline, want_image=True)
        if not m:
            print("phone: FAILED: no alert picture arrived", flush=True)
            return False
        await fetch(m, "alert.jpg")
    for i, command in enumerate(c.strip() for c in args.script.split(";") if c.strip()):
        print("phone: sending '%s'" % command, flush=True)
        phone.send_message(mto=args.to, mbody=command, mtype="chat")
        want_image = command.split()[-1] in ("snapshot", "snap", "photo")
        m = await next_message(phone, min(deadline, time.time() + 30), want_image=want_image)
        if not m:
            print("phone: FAILED: no answer to '%s'" % command, flush=True)
            ok = False
        elif want_image:
            await fetch(m, "snapshot-%d.jpg" % i)
    return ok


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--jid", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--ca", required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5222)
    p.add_argument("--script")
    p.add_argument("--to")
    p.add_argument("--expect-alert", action="store_true")
    p.add_argument("--download-dir", default=".")
    p.add_argument("--timeout", type=float, default=90)
    p.add_argument("--print-messages", action="store_true")
    p.add_argument("--record-from", help="emit every stanza from this bare JID (a stranger's view of the appliance)")
    args = p.parse_args()
    if args.script and not args.print_messages:
        global emit
        emit = lambda obj: obj.get("event") == "message" and print(  # noqa: E731
            "phone: from %s: %s" % (obj["from"], obj["body"]), flush=True)
    phone = Phone(args)
    loop = asyncio.get_event_loop()
    phone.connect(args.host, args.port)
    if args.script:
        ok = loop.run_until_complete(script(phone, args))
        phone.disconnect()
        loop.run_until_complete(asyncio.sleep(0.5))
        sys.exit(0 if ok else 1)
    loop.run_until_complete(control(phone))
    loop.run_until_complete(asyncio.sleep(0.3))


if __name__ == "__main__":
    main()
