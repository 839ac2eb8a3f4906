"""localstripe on one loopback address, with its state in memory only.

localstripe's own entry point binds every interface ('::') and pickles its whole store to the
shared /tmp/localstripe.pickle after every write (and loads it at start): several servers on one
machine would then read and overwrite each other's state, and each write costs the size of the
store. This launcher keeps the store in memory and binds only HOST:PORT.

Usage: python server.py HOST PORT
"""
import logging
import sys

from aiohttp import web

from localstripe import resources
from localstripe.server import app

# In-memory only: no load at start, no dump after each write.
resources.Store.dump_to_disk = lambda self: None
resources.Store.try_load_from_disk = lambda self: None


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    logger = logging.getLogger('aiohttp.access')
    logger.setLevel(logging.INFO)
    logger.addHandler(logging.StreamHandler())
    web.run_app(app, host=host, port=port, access_log=logger, print=None)


if __name__ == '__main__':
    main()
