import { scalarResolvers } from '@token-nexus/shared';
import type { Resolvers } from '../__generated__/resolvers-types.ts';
import { DashboardLayout } from './DashboardLayout.ts';
import { Membership } from './Membership.ts';
import { MembershipConnection } from './MembershipConnection.ts';
import { addMember } from './Mutation/addMember.ts';
import { createOrganization } from './Mutation/createOrganization.ts';
import { logIn } from './Mutation/logIn.ts';
import { logOut } from './Mutation/logOut.ts';
import { refreshSession } from './Mutation/refreshSession.ts';
import { removeMember } from './Mutation/removeMember.ts';
import { saveDashboardLayout } from './Mutation/saveDashboardLayout.ts';
import { signUp } from './Mutation/signUp.ts';
import { updateMemberRole } from './Mutation/updateMemberRole.ts';
import { updateOrganization } from './Mutation/updateOrganization.ts';
import { Organization } from './Organization.ts';
import { dashboardLayout } from './Query/dashboardLayout.ts';
import { me } from './Query/me.ts';
import { organization } from './Query/organization.ts';
import { publicOrganization } from './Query/publicOrganization.ts';
import { User } from './User.ts';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: { me, organization, publicOrganization, dashboardLayout },
  Mutation: {
    signUp,
    logIn,
    refreshSession,
    logOut,
    createOrganization,
    updateOrganization,
    addMember,
    updateMemberRole,
    removeMember,
    saveDashboardLayout,
  },
  User,
  Organization,
  Membership,
  MembershipConnection,
  DashboardLayout,
};
