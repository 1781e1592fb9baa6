"""Code that runs inside the sandbox container (copied to /opt/rk/ in the image).

Standard library only; the host imports nothing from here but constants and the pure
text helpers of `source_scan` (shared with the code plugin's format adapters).
"""
