"""A Glue crawler made and run with boto3 only (botocore glue 2017-03-31: CreateDatabase, CreateCrawler,
StartCrawler, GetCrawler, GetTable, GetTables, StopCrawler, DeleteCrawler), on a role made with the IAM API. What
the crawl decides follows the Glue developer guide: "Built-in classifiers" (CSV header heuristics, JSON), "How
does a crawler determine when to create partitions?" and "Crawler prerequisites" (the role reads S3 and writes
the catalog; a role that may not read the data fails the crawl)."""
import json
import time
import unittest
import uuid

import boto3
from botocore.config import Config

from conformance_env import OUTPUTS, client, error_code

TRUST = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}],
})


def wait_until_ready(glue, name, timeout=60):
    """The documented polling pattern: GetCrawler until Crawler.State is READY again, then read LastCrawl."""
    deadline = time.time() + timeout
    while True:
        crawler = glue.get_crawler(Name=name)["Crawler"]
        if crawler["State"] == "READY" and "LastCrawl" in crawler or time.time() > deadline:
            return crawler
        time.sleep(0.1)


class GlueCrawlerConformance(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.iam = client("iam")
        cls.glue = client("glue")
        cls.s3 = boto3.session.Session().client("s3", config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
        cls.bucket = OUTPUTS["bucketName"]
        cls.prefix = f"crawl-{uuid.uuid4().hex[:8]}"
        cls.database = f"boto3_{uuid.uuid4().hex[:8]}"
        region = cls.glue.meta.region_name
        account = cls.iam.get_role(RoleName=cls.role_named("reader", s3_read=True))["Role"]["Arn"].split(":")[4]
        cls.catalog_arns = [
            f"arn:aws:glue:{region}:{account}:catalog",
            f"arn:aws:glue:{region}:{account}:database/{cls.database}",
            f"arn:aws:glue:{region}:{account}:table/{cls.database}/*",
        ]
        cls.put_catalog_policy("reader")
        cls.role_named("blind", s3_read=False)
        cls.put_catalog_policy("blind")
        files = {
            f"{cls.prefix}/sales/region=eu/part-0.csv": "sale_id,amount,region_name\n1,9.5,Paris\n2,3,Lyon\n",
            f"{cls.prefix}/sales/region=us/part-0.csv": "sale_id,amount,region_name\n3,1.25,Austin\n4,8,Boston\n",
            f"{cls.prefix}/events/day1.json": '{"event":"click","count":3}\n{"event":"view","count":5,"user":{"id":"u1"}}\n',
        }
        for key, body in files.items():
            cls.s3.put_object(Bucket=cls.bucket, Key=key, Body=body.encode("utf-8"))
        cls.glue.create_database(DatabaseInput={"Name": cls.database, "Description": "crawled by boto3"})

    @classmethod
    def role_named(cls, suffix, s3_read):
        name = f"boto3-crawler-{suffix}"
        cls.iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)
        statements = [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{OUTPUTS['bucketName']}"}]
        if s3_read:
            statements.append({"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{OUTPUTS['bucketName']}/*"})
        cls.iam.put_role_policy(RoleName=name, PolicyName="read-data", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements}))
        return name

    @classmethod
    def put_catalog_policy(cls, suffix):
        document = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Action": ["glue:GetDatabase", "glue:GetTable", "glue:CreateTable", "glue:UpdateTable", "glue:BatchCreatePartition"],
            "Resource": cls.catalog_arns,
        }]}
        cls.iam.put_role_policy(RoleName=f"boto3-crawler-{suffix}", PolicyName="write-catalog", PolicyDocument=json.dumps(document))

    def crawler(self, name, role, prefix):
        self.glue.create_crawler(
            Name=name,
            Role=role,
            DatabaseName=self.database,
            TablePrefix=prefix,
            Targets={"S3Targets": [{"Path": f"s3://{self.bucket}/{self.prefix}"}]},
        )
        self.addCleanup(self.glue.delete_crawler, Name=name)

    def test_crawl_writes_a_partitioned_csv_table_and_a_json_table(self):
        """StartCrawler; the crawler is RUNNING (a second StartCrawler is CrawlerRunningException), then READY with
        LastCrawl.Status SUCCEEDED. sales/ (CSV with a header, region=... folders) is one table with partition key
        region; events/ (JSON lines) is another; GetTable answers the Table shape with the inferred columns."""
        self.crawler("boto3-crawler", "boto3-crawler-reader", "c_")
        self.glue.start_crawler(Name="boto3-crawler")
        self.assertEqual(error_code(self.glue.start_crawler, Name="boto3-crawler"), "CrawlerRunningException")
        crawler = wait_until_ready(self.glue, "boto3-crawler")
        self.assertEqual(crawler["LastCrawl"]["Status"], "SUCCEEDED", crawler["LastCrawl"].get("ErrorMessage"))
        self.assertEqual(crawler["LastCrawl"]["LogGroup"], "/aws-glue/crawlers")
        names = [t["Name"] for t in self.glue.get_tables(DatabaseName=self.database)["TableList"]]
        self.assertEqual(sorted(n for n in names if n.startswith("c_")), ["c_events", "c_sales"])
        sales = self.glue.get_table(DatabaseName=self.database, Name="c_sales")["Table"]
        self.assertEqual([(c["Name"], c["Type"]) for c in sales["StorageDescriptor"]["Columns"]], [("sale_id", "bigint"), ("amount", "double"), ("region_name", "string")])
        self.assertEqual(sales["PartitionKeys"], [{"Name": "region", "Type": "string"}])
        self.assertEqual(sales["Parameters"]["classification"], "csv")
        self.assertEqual(sales["StorageDescriptor"]["Location"], f"s3://{self.bucket}/{self.prefix}/sales/")
        events = self.glue.get_table(DatabaseName=self.database, Name="c_events")["Table"]
        self.assertEqual([(c["Name"], c["Type"]) for c in events["StorageDescriptor"]["Columns"]], [("event", "string"), ("count", "int"), ("user", "struct<id:string>")])
        self.assertEqual(error_code(self.glue.get_table, DatabaseName=self.database, Name="c_nothing"), "EntityNotFoundException")

    def test_a_role_that_may_not_read_the_data_fails_the_crawl(self):
        """Crawler prerequisites: the role needs s3:GetObject on the target. Without it LastCrawl is FAILED with S3's
        AccessDenied in ErrorMessage, and no table is written."""
        self.crawler("boto3-blind-crawler", "boto3-crawler-blind", "blind_")
        self.glue.start_crawler(Name="boto3-blind-crawler")
        crawler = wait_until_ready(self.glue, "boto3-blind-crawler")
        self.assertEqual(crawler["LastCrawl"]["Status"], "FAILED")
        self.assertIn("s3:GetObject", crawler["LastCrawl"]["ErrorMessage"])
        self.assertIn("AccessDenied", crawler["LastCrawl"]["ErrorMessage"])
        names = [t["Name"] for t in self.glue.get_tables(DatabaseName=self.database)["TableList"]]
        self.assertEqual([n for n in names if n.startswith("blind_")], [])

    def test_crawler_errors(self):
        """StopCrawler on a READY crawler is CrawlerNotRunningException; GetCrawler of an unknown name is
        EntityNotFoundException; CreateCrawler of an existing name is AlreadyExistsException; a JDBC target is refused
        by name (InvalidInputException)."""
        self.crawler("boto3-idle-crawler", "boto3-crawler-reader", "idle_")
        self.assertEqual(error_code(self.glue.stop_crawler, Name="boto3-idle-crawler"), "CrawlerNotRunningException")
        self.assertEqual(error_code(self.glue.get_crawler, Name="no-such-crawler"), "EntityNotFoundException")
        self.assertEqual(error_code(self.glue.create_crawler, Name="boto3-idle-crawler", Role="boto3-crawler-reader", DatabaseName=self.database, Targets={"S3Targets": [{"Path": f"s3://{self.bucket}/x"}]}), "AlreadyExistsException")
        self.assertEqual(error_code(self.glue.create_crawler, Name="boto3-jdbc", Role="boto3-crawler-reader", DatabaseName=self.database, Targets={"JdbcTargets": [{"ConnectionName": "c", "Path": "db/%"}]}), "InvalidInputException")


if __name__ == "__main__":
    unittest.main()
