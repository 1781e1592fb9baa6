"""Code that runs inside the sandbox container (copied to /opt/rk/ in the image).

Standard library only; the host imports nothing from here but constants.
"""
