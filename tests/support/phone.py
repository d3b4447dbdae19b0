#!/usr/bin/env python3
"""The owner's phone, played by slixmpp (an XMPP client nobody on this project wrote).

Control mode (for C++ tests): one JSON object per line on stdin, events as JSON lines on stdout.
  in:  {"cmd": "send", "to": JID, "body": TEXT} | {"cmd": "download", "url": URL, "path": FILE}
       | {"cmd": "presence"} | {"cmd": "subscribe", "to": BARE_JID} | {"cmd": "raw", "xml": STANZA} | {"cmd": "quit"}
       (raw: a stanza written as it is, e.g. a hand-made XEP-0297 wrapper; the server stamps its "from")
  out: {"event": "connected", "jid": FULL_JID} | {"event": "message", "from", "to", "body", "oob_url", "delayed", "id"}
       | {"event": "presence", "from", "type", "status"}  (every presence stanza received; type is slixmpp's:
         available/away/.../unavailable/subscribe/subscribed/unsubscribed/unsubscribe)
       | {"event": "downloaded", "url", "path", "bytes", "content_type"} | {"event": "error", "what"}
Script mode (the demo): --script "status;snapshot" sends each command to --to and prints what arrives;
  --expect-alert waits first for a motion alert with a picture; pictures are downloaded to --download-dir.
"""
import argparse
import asyncio
import json
import os
import ssl
import sys
import time
import urllib.request

import slixmpp


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
