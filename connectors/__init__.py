"""genelm.connectors"""
