"""genelm.graph"""
