"""Bandwidth verification: iperf3 through each access circuit, against the plan.

* ``iperf``      iperf3 command lines and its ``--json`` report, parsed into typed records
* ``runners``    where iperf3 runs: a configured server (production) or the lab's devices
* ``assess``     achieved Mbps against the circuit's committed rate and the tier's target
* ``store``      the last result per circuit, the history file and the metrics textfile
* ``run``        which circuits to test, and testing them one after the other

The exporter serves the stored results as metrics (``exporters.bandwidth``); this package
never imports the exporter.
"""
