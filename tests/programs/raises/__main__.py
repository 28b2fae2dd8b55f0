import pulumi
import pulumi_aws as aws

from settings import check

aws.sns.Topic("before-failure")
check(pulumi.Config().get_int("azCount") or 1)
