/**
 * The one DynamoDB client of a function instance, built at module scope so warm invocations reuse its
 * connections. Locally `DYNAMODB_ENDPOINT` points it at DynamoDB Local.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const buildDocumentClient = (endpoint: string | undefined): DynamoDBDocumentClient => {
  const local = endpoint !== undefined;
  const client = new DynamoDBClient({
    ...(local
      ? {
        endpoint,
        region: process.env.AWS_REGION ?? 'ddblocal',
        // DynamoDB Local accepts any key; credentials in the environment go through the normal provider.
        ...(process.env.AWS_ACCESS_KEY_ID ? {} : { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
      }
      : {}),
    // eSMS and Zalo retry on their own; two quick attempts keep us inside their timeouts.
    maxAttempts: 2,
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
};
