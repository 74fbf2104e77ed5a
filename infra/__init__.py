"""The CDK app that deploys ContainerStacks to AWS (see README "Deploy to AWS")."""
