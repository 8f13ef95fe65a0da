"""genelm.models"""
