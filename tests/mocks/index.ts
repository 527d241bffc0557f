import { http, passthrough } from 'msw'
import { setupServer } from 'msw/node'
import { smsHandlers } from './sms'
import { stripeHandlers } from './stripe'
import { stripeSubscriptionHandlers } from './stripe-subscriptions'

// One msw server for every outside HTTP API; handler files per service (SMS, email, Stripe)
// join this list as those integrations arrive. Servers a test starts on loopback pass
// through; any other unmocked request makes fetch reject, so the test fails.
export const handlers = [
  http.all(/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//, () => passthrough()),
  ...smsHandlers,
  // before stripeHandlers: it takes the subscription-mode Checkout Sessions (月捐, issue 14)
  ...stripeSubscriptionHandlers,
  ...stripeHandlers,
]

export const server = setupServer(...handlers)
