export type { Profile, ProfileSample } from './profile.ts';
export { builtinProfiles } from './builtin-profiles.ts';
export { ProfileMatcher } from './profile-matcher.ts';
export { parseProfileConfig, checkProfile } from './parse-profile-config.ts';
