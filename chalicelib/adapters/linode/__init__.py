"""The Linode adapter: the CloudProvider port through `linode_api4` (imported lazily, inside functions)."""
