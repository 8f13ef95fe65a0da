"""genelm.evals"""
