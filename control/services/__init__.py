"""The journeys' logic, shared by the pages, the JSON API and the tablet's sync.

Routes parse their input, call one function here, and render what it returns: checking a
code, the findings of a control and the agent's decision on each, recording a control.
See docs/architecture.md.
"""
