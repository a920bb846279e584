"""Domain and services of TĐKT Xã. No Qt here: the GUI and the command line both call in."""

__version__ = "0.1.0"
