"""volunteer"""
