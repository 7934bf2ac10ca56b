"""Policies: loading policy, policy test and configuration files with every error located
(`loader`, `config`, `structure`), evaluating rules over documents (`evaluate`, `check`), waivers
and severity overrides, explanations, and the policy tests (`testing`).

Above documents and the rule language; below the report, the editor services and metrics.
"""
