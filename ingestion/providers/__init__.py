"""Vendor providers behind one interface with capability flags, picked from a registry."""
