"""SQS, SNS and DynamoDB in the sandbox through boto3 (botocore sqs 2012-11-05 over its JSON protocol, sns
2010-03-31 over the query protocol, dynamodb 2012-08-10), and the SQS and SNS integrations from raw ASL created
with CreateStateMachine on a role made with the IAM API. Each check names the model or API reference rule."""
import json
import time
import unittest

from conformance_env import client, error_code, wait_for_execution

TRUST = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}],
})


def receive_until(sqs, queue_url, match, timeout=15):
    """ReceiveMessage (long polling) until a message whose body matches; every received message is deleted."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        messages = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=2, MaxNumberOfMessages=10).get("Messages", [])
        for message in messages:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        found = [m for m in messages if match(m["Body"])]
        if found:
            return found[0]
    raise AssertionError(f"no matching message on {queue_url} within {timeout} s")


class MessagingConformance(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sqs = client("sqs")
        cls.sns = client("sns")
        cls.dynamodb = client("dynamodb")
        cls.sfn = client("stepfunctions")
        cls.iam = client("iam")
        cls.account = cls.sfn.list_state_machines()["stateMachines"][0]["stateMachineArn"].split(":")[4]
        cls.region = cls.sqs.meta.region_name

    def queue_arn(self, name):
        return f"arn:aws:sqs:{self.region}:{self.account}:{name}"

    def test_sqs_send_receive_delete(self):
        """SQS SendMessage answers MessageId and MD5OfMessageBody (the MD5 of the body); ReceiveMessage returns the
        body with a ReceiptHandle and hides it for VisibilityTimeout; DeleteMessage removes it; GetQueueAttributes
        answers the counts; GetQueueUrl of an unknown name is QueueDoesNotExist."""
        url = self.sqs.create_queue(QueueName="boto3-work", Attributes={"VisibilityTimeout": "10"})["QueueUrl"]
        self.assertEqual(self.sqs.get_queue_url(QueueName="boto3-work")["QueueUrl"], url)
        sent = self.sqs.send_message(QueueUrl=url, MessageBody="hello")
        self.assertEqual(sent["MD5OfMessageBody"], "5d41402abc4b2a76b9719d911017c592")
        [message] = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"]
        self.assertEqual((message["Body"], message["MessageId"]), ("hello", sent["MessageId"]))
        attributes = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual((attributes["ApproximateNumberOfMessages"], attributes["ApproximateNumberOfMessagesNotVisible"]), ("0", "1"))
        self.assertEqual(attributes["QueueArn"], self.queue_arn("boto3-work"))
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        self.assertEqual(self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessagesNotVisible"])["Attributes"], {"ApproximateNumberOfMessagesNotVisible": "0"})
        with self.assertRaises(self.sqs.exceptions.QueueDoesNotExist):
            self.sqs.get_queue_url(QueueName="boto3-no-such-queue")

    def test_sns_publish_delivers_to_a_subscribed_queue(self):
        """SNS CreateTopic answers the topic ARN; Subscribe with protocol sqs; Publish answers a MessageId and SNS
        delivers the notification JSON (Type Notification, MessageId, TopicArn, Message) to the queue its policy
        lets the topic send to. Publish to an unknown topic is NotFound (404)."""
        topic = self.sns.create_topic(Name="boto3-events")["TopicArn"]
        self.assertEqual(topic, f"arn:aws:sns:{self.region}:{self.account}:boto3-events")
        self.assertIn(topic, [t["TopicArn"] for t in self.sns.list_topics()["Topics"]])
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": self.queue_arn("boto3-inbox"), "Condition": {"ArnEquals": {"aws:SourceArn": topic}}}]}
        url = self.sqs.create_queue(QueueName="boto3-inbox", Attributes={"Policy": json.dumps(policy)})["QueueUrl"]
        self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=self.queue_arn("boto3-inbox"))
        message_id = self.sns.publish(TopicArn=topic, Message="from boto3", Subject="hi")["MessageId"]
        notification = json.loads(receive_until(self.sqs, url, lambda body: "from boto3" in body)["Body"])
        self.assertEqual((notification["Type"], notification["MessageId"], notification["TopicArn"], notification["Message"], notification["Subject"]), ("Notification", message_id, topic, "from boto3", "hi"))
        self.assertEqual(error_code(self.sns.publish, TopicArn=f"arn:aws:sns:{self.region}:{self.account}:nope", Message="x"), "NotFound")

    def test_dynamodb_items_and_conditions(self):
        """DynamoDB CreateTable then DescribeTable ACTIVE; PutItem/GetItem/UpdateItem (UpdateExpression, ReturnValues
        UPDATED_NEW)/Query/Scan/DeleteItem; a PutItem whose ConditionExpression is false is
        ConditionalCheckFailedException; GetItem on an unknown table is ResourceNotFoundException."""
        self.dynamodb.create_table(TableName="boto3-orders", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
        self.assertEqual(self.dynamodb.describe_table(TableName="boto3-orders")["Table"]["TableStatus"], "ACTIVE")
        self.dynamodb.put_item(TableName="boto3-orders", Item={"pk": {"S": "a"}, "n": {"N": "1"}})
        self.assertEqual(self.dynamodb.get_item(TableName="boto3-orders", Key={"pk": {"S": "a"}})["Item"], {"pk": {"S": "a"}, "n": {"N": "1"}})
        updated = self.dynamodb.update_item(TableName="boto3-orders", Key={"pk": {"S": "a"}}, UpdateExpression="ADD n :one", ExpressionAttributeValues={":one": {"N": "1"}}, ReturnValues="UPDATED_NEW")
        self.assertEqual(updated["Attributes"], {"n": {"N": "2"}})
        self.assertEqual(self.dynamodb.query(TableName="boto3-orders", KeyConditionExpression="pk = :a", ExpressionAttributeValues={":a": {"S": "a"}})["Count"], 1)
        self.assertEqual(self.dynamodb.scan(TableName="boto3-orders")["Count"], 1)
        self.assertEqual(error_code(self.dynamodb.put_item, TableName="boto3-orders", Item={"pk": {"S": "a"}}, ConditionExpression="attribute_not_exists(pk)"), "ConditionalCheckFailedException")
        self.dynamodb.delete_item(TableName="boto3-orders", Key={"pk": {"S": "a"}})
        self.assertNotIn("Item", self.dynamodb.get_item(TableName="boto3-orders", Key={"pk": {"S": "a"}}))
        self.assertEqual(error_code(self.dynamodb.get_item, TableName="boto3-missing", Key={"pk": {"S": "a"}}), "ResourceNotFoundException")

    def test_sqs_wait_for_task_token_from_raw_asl(self):
        """"Send messages to an Amazon SQS queue with Step Functions": sqs:sendMessage.waitForTaskToken puts the
        token in MessageBody and pauses; the worker receives it and calls SendTaskSuccess; the execution succeeds
        with the callback's output. The role (IAM API) is allowed sqs:SendMessage on the queue only."""
        url = self.sqs.create_queue(QueueName="boto3-callbacks")["QueueUrl"]
        self.iam.create_role(RoleName="boto3-sqs-callback", AssumeRolePolicyDocument=TRUST)
        self.iam.put_role_policy(RoleName="boto3-sqs-callback", PolicyName="send", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": self.queue_arn("boto3-callbacks")}]}))
        definition = {"StartAt": "Ask", "States": {"Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "Parameters": {"QueueUrl": url, "MessageBody": {"job.$": "$.job", "token.$": "$$.Task.Token"}}, "End": True}}}
        machine = self.sfn.create_state_machine(name="boto3-sqs-callback", definition=json.dumps(definition), roleArn=f"arn:aws:iam::{self.account}:role/boto3-sqs-callback")["stateMachineArn"]
        self.addCleanup(self.sfn.delete_state_machine, stateMachineArn=machine)
        execution = self.sfn.start_execution(stateMachineArn=machine, input=json.dumps({"job": "j-1"}))["executionArn"]
        body = json.loads(receive_until(self.sqs, url, lambda text: "j-1" in text)["Body"])
        self.sfn.send_task_success(taskToken=body["token"], output=json.dumps({"done": "j-1"}))
        described = wait_for_execution(self.sfn, execution)
        self.assertEqual(described["status"], "SUCCEEDED")
        self.assertEqual(json.loads(described["output"]), {"done": "j-1"})


if __name__ == "__main__":
    unittest.main()
