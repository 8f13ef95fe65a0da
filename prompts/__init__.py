"""genelm.prompts"""
