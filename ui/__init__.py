"""The Qt GUI of TĐKT Xã and the `tdkt` entry point (the composition root)."""
