"""genelm.ui"""
