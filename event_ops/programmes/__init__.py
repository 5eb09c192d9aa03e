"""Programmes (seasons): a group of events and the targets its reports measure against."""
