pytest_plugins = [
    "tests.support.docker_fixtures",
    "tests.support.stack_fixtures",
    "tests.support.api",
    "tests.support.billing",
    "tests.support.vps",
    "tests.support.linode",
    "tests.support.market",
    "tests.support.k8s",
]
