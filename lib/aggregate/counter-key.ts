/** Stream sequence numbers are numeric strings of up to 40 digits; padded they compare as strings in DynamoDB. */
export const padSequence = (sequenceNumber: string): string => sequenceNumber.padStart(40, '0');
