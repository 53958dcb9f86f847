// The hash is part of the case-event contract (@wangge/events); workflow's services use it from here.
export { trackingTokenHash } from '@wangge/events';
