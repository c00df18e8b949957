"""The ground floor: what every egovnet package may import and which imports none of them.

``base.errors`` holds the one exception root; the other modules hold the mechanisms several
subsystems share (atomic writes, owned processes, HOST:PORT, durations).
"""
