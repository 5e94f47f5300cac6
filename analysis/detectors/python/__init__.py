"""Python security analysis: intra-file taint tracking and rule checks on `ast`."""
