"""CloudFront in front of the SPA (S3, private, through origin access control) and the API (/api/*).

One origin for browsers, so the SPA calls /api on its own domain (no CORS). The SPA's client-side routes are
rewritten to /index.html by a CloudFront Function on the default behaviour only: API answers (404s
included) pass through untouched. The SPA itself is uploaded by `make deploy` (web/dist, when built).
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Aws, Duration, RemovalPolicy
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import API_STAGE, StageConfig

SPA_REWRITE = """
function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) { request.uri = '/index.html'; }
  return request;
}
"""


@dataclass
class Web:
    bucket: s3.Bucket
    distribution: cloudfront.Distribution


def build_web(scope: Construct, config: StageConfig, rest_api_id: str) -> Web:
    bucket = s3.Bucket(
        scope,
        "WebBucket",
        encryption=s3.BucketEncryption.S3_MANAGED,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        # Build output only: `make deploy` uploads it again; nothing here needs keeping.
        removal_policy=RemovalPolicy.DESTROY,
        auto_delete_objects=False,
    )
    rewrite = cloudfront.Function(
        scope,
        "SpaRewrite",
        code=cloudfront.FunctionCode.from_inline(SPA_REWRITE),
        runtime=cloudfront.FunctionRuntime.JS_2_0,
        comment="SPA routes -> /index.html",
    )
    api_origin = origins.HttpOrigin(
        f"{rest_api_id}.execute-api.{Aws.REGION}.{Aws.URL_SUFFIX}",
        origin_path=f"/{API_STAGE}",
        protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        read_timeout=Duration.seconds(30),
    )
    distribution = cloudfront.Distribution(
        scope,
        "Distribution",
        comment=f"ContainerStacks {config.stage}: web app and /api",
        default_root_object="index.html",
        minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
        http_version=cloudfront.HttpVersion.HTTP2_AND_3,
        price_class=cloudfront.PriceClass.PRICE_CLASS_100,
        default_behavior=cloudfront.BehaviorOptions(
            origin=origins.S3BucketOrigin.with_origin_access_control(bucket),
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            function_associations=[
                cloudfront.FunctionAssociation(
                    function=rewrite, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                )
            ],
        ),
        additional_behaviors={
            "/api/*": cloudfront.BehaviorOptions(
                origin=api_origin,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                # Caching disabled: the origin request policy may forward every viewer header (Authorization,
                # X-Organization-Id) but Host, which would be CloudFront's and API Gateway would refuse.
                cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
            )
        },
    )
    return Web(bucket, distribution)
