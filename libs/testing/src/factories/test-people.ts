import type { AgencyKind } from '../../../../src/common/enums/agencies';
import type { GraphQLClient } from '../graphql-client';

export interface TestAgency {
  id: string;
  name: string;
  kind: AgencyKind;
}

export interface TestUser {
  id: string;
  email: string;
  displayName: string;
}

/** A signed-in person: their GraphQL client plus who they are. */
export interface SignedIn {
  client: GraphQLClient;
  user: TestUser;
  agency: TestAgency | null;
  token: string;
  sessionId: string;
}
