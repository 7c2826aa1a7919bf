# The simulated Xen host (test only)
