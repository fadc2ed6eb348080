/**
 * DynamoDB stream records → the aggregator's changes: the wire images unmarshalled, and a TTL expiry
 * (a REMOVE by the DynamoDB service) turned into "no change", because an expired item's facts stay counted.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { ChangeRecord } from '../aggregate/ports';

// Lambda's and the SDK's AttributeValue types differ only in optionality; the wire format is the same.
const image = (value: object | undefined) => (value ? unmarshall(value as Record<string, AttributeValue>) : undefined);

const isTtlDelete = (record: DynamoDBRecord): boolean =>
  record.eventName === 'REMOVE' && record.userIdentity?.type === 'Service' && record.userIdentity?.principalId === 'dynamodb.amazonaws.com';

/** A TTL expiry keeps the item's contribution: old and new are both the expired image, so the delta is zero. */
export const toChange = (record: DynamoDBRecord): ChangeRecord => {
  const oldImage = image(record.dynamodb?.OldImage);
  return {
    sequenceNumber: record.dynamodb?.SequenceNumber ?? '',
    oldImage,
    newImage: isTtlDelete(record) ? oldImage : image(record.dynamodb?.NewImage),
  };
};
