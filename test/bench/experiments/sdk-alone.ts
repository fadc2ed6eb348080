/**
 * FLOOR (bench only): the product's DynamoDB client and nothing else — lib/store/client.ts built at module
 * scope as every function builds it, and a handler sending one UpdateCommand. Bundled with serverless.yml's
 * options, its module init is what any function that touches a table pays before its own code: the part
 * of the ≤ +0.15 G init budget the design card's SDK takes.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { buildDocumentClient } from '../../../lib/store/client';

const doc = buildDocumentClient(process.env.DYNAMODB_ENDPOINT);

export const handler = async (): Promise<unknown> =>
  doc.send(new UpdateCommand({ TableName: process.env.MESSAGES_TABLE, Key: { pk: 'bench', sk: '#' }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 1 } }));
