"""Energy benchmarks (B1, B2, B4, B6 of ../shared/research/performance.md for the energy app): bulk ingestion
through the service layer against a raw COPY/executemany, the HTTP batch endpoint, MQTT at QoS 1 against a bare
paho subscriber, rollup queries against GROUP BY over raw, and bytes per stored reading. Run with
``python -m benchmarks.energy``; never run by the tests. See docs/energy.md for the figures."""
