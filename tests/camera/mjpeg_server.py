#!/usr/bin/env python3
"""A small MJPEG-over-HTTP camera for tests: serves multipart/x-mixed-replace on 127.0.0.1:PORT, cycling the
JPEG files of DIR at FPS frames per second. Prints 'ready' once listening."""
import glob
import http.server
import os
import socketserver
import sys
import time

port, directory, fps = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
frames = [open(p, 'rb').read() for p in sorted(glob.glob(os.path.join(directory, '*.jpg')))]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith('/missing'):  # what a camera answers for a wrong stream path
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header('Content-Type', 'multipart/x-mixed-replace; boundary=frame')
        self.send_header('Cache-Control', 'no-cache')
        self.end_headers()
        i = 0
        try:
            while True:
                data = frames[i % len(frames)]
                self.wfile.write(b'--frame\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n' % len(data))
                self.wfile.write(data + b'\r\n')
                self.wfile.flush()
                i += 1
                time.sleep(1.0 / fps)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


with Server(('127.0.0.1', port), Handler) as server:
    print('ready', flush=True)
    server.serve_forever()
