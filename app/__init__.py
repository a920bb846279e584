"""Domain and services of TĐKT Xã. No Qt here: the GUI and the command line both call in."""
