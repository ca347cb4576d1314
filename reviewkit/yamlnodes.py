"""Values of PyYAML nodes. The data files are composed, not loaded, so every field keeps its line;
these turn a node back into the plain value ``yaml.safe_load`` would have given."""

from __future__ import annotations

from typing import Any

import yaml


def scalar(node: yaml.Node) -> Any:
    """A scalar's value (text, number, date, ...); any other node as it is."""
    if isinstance(node, yaml.ScalarNode):
        return yaml.SafeLoader("").construct_object(node)
    return node


def value(node: yaml.Node) -> Any:
    """Plain Python value of a node (mappings as dicts, duplicate keys kept last)."""
    if isinstance(node, yaml.ScalarNode):
        return scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [value(n) for n in node.value]
    return {scalar(k): value(v) for k, v in node.value}
