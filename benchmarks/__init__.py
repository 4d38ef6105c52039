"""B7, the work-order API benchmark: ``python -m benchmarks`` (or ``make bench``); see ``benchmarks/README.md``.

The package has two halves. The orchestrator (``run``, ``servers``, ``load``, ``databases``, ``report``) never
imports Django: it starts gunicorn and wrk as subprocesses. The Django half (``seed``, ``settings``, ``urls``,
``baseline``) runs inside those subprocesses, one database per process.
"""
