"""Local fake vendors (a fake GitHub) and a deterministic fixture world for demo and tests."""
