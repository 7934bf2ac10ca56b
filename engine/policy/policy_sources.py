"""Where the configuration and local policies are read (`--policy-from`): the pull request's base
commit (the default in a pull-request run, base_policies.py) or the working tree (else). A leaf
module: the command line lists the choices without loading the engine."""

BASE, WORKING_TREE = "base", "working-tree"
POLICY_SOURCES = (BASE, WORKING_TREE)
