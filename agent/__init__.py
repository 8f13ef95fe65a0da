"""genelm.agent"""
