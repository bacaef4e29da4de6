"""Observatoire du Logement d'abord: pipeline, command line and generator."""
