"""moto server with request processing serialized.

moto implements TransactWriteItems by deep-copying each table, applying the writes and restoring the
copy when a condition fails. Under concurrent requests (moto_server is threaded) that restore can
erase or resurrect other clients' writes, so cancelled transactions leave partial state behind.
Real DynamoDB transactions are serializable; processing one request at a time restores that
guarantee. Connections are still accepted concurrently (threaded server), only the handler is
locked. Usage: python serialized_server.py HOST PORT
"""
import os
import signal
import sys
import threading

from werkzeug.serving import run_simple

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.server import MotoRequestHandler

LOCK = threading.Lock()


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("MOTO_PORT", str(port))
    app = DomainDispatcherApplication(create_backend_app)

    def serialized(environ, start_response):
        with LOCK:
            # Consume the body inside the lock: moto may build it lazily.
            return list(app(environ, start_response))

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    run_simple(host, port, serialized, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
