import { eq } from 'drizzle-orm'
import type { DB } from './client.server'
import { institutions, memberships, users, type InstitutionKind, type MembershipRole } from './schema'
import { hashPassword } from '~/auth/password.server'

// Demo data drawn from the product brief. Idempotent: rows are matched by slug or email and
// only missing ones are inserted, so the seed can be rerun safely.
export const DEMO_PASSWORD = 'weinuan2026'

type DemoInstitution = {
  slug: string
  name: string
  kind: InstitutionKind
  province: string
  city: string
  district: string
  publicAddress: string
  description: string
  parent?: string
  short: string
}

export const demoInstitutions: DemoInstitution[] = [
  {
    slug: 'binzhou-fuliyuan',
    short: '滨州',
    name: '滨州市福利院',
    kind: 'welfare_home',
    province: '山东省',
    city: '滨州市',
    district: '滨城区',
    publicAddress: '山东省滨州市滨城区（演示地址）',
    description: '滨州市福利院坚持开门办院，每月第二个周六为社会开放日，欢迎爱心人士和志愿者走进福利院。团体来访请提前预约，来访者登记后凭来访接待单进入开放区域。',
  },
  {
    slug: 'kaifeng-sos',
    short: '开封SOS',
    name: '开封市儿童福利院（中国开封SOS儿童村）',
    kind: 'sos_village',
    province: '河南省',
    city: '开封市',
    district: '',
    publicAddress: '河南省开封市（演示地址）',
    description: '以家庭式养育照料孩子们的成长。相关捐赠情况会在公众号定期公示，每一笔捐赠都在阳光下运行，每一笔爱心款物都会用在服务对象身上。',
  },
  {
    slug: 'kaifeng-jiuzhu',
    short: '开封救助',
    name: '开封市救助管理站',
    kind: 'rescue_station',
    province: '河南省',
    city: '开封市',
    district: '',
    publicAddress: '河南省开封市（演示地址）',
    description: '为生活无着的流浪乞讨人员和困境儿童提供临时救助，并在社区设立临时救助点。',
  },
  {
    slug: 'kaifeng-youfang',
    short: '油坊',
    parent: 'kaifeng-jiuzhu',
    name: '油坊社区临时救助点',
    kind: 'community_point',
    province: '河南省',
    city: '开封市',
    district: '',
    publicAddress: '河南省开封市油坊社区（演示地址）',
    description: '储备饮用水、方便食品、四季衣物、鞋袜、被褥、棉被和简易帐篷，就近提供临时救助。',
  },
  {
    slug: 'fenghua-baohu',
    short: '奉化',
    name: '宁波市奉化区未成年人救助保护中心',
    kind: 'protection_center',
    province: '浙江省',
    city: '宁波市',
    district: '奉化区',
    publicAddress: '浙江省宁波市奉化区（演示地址）',
    description: '为困境儿童提供救助保护，与东西部协作地区一起开展「奉甘两地微心愿」等活动。',
  },
  {
    slug: 'liaocheng-jiayin',
    short: '佳音',
    name: '聊城佳音社会工作服务中心',
    kind: 'social_org',
    province: '山东省',
    city: '聊城市',
    district: '东昌府区',
    publicAddress: '山东省聊城市东昌府区（演示地址）',
    description: '运营「焕新乐园」项目：为困境儿童家庭进行居住空间改造，并由志愿者团队开展一年 12 次家庭陪伴。',
  },
]

export type DemoAccount = { email: string; displayName: string; role: string; isPlatformAdmin?: boolean; membership?: { slug: string; role: MembershipRole } }

export const demoAccounts: DemoAccount[] = [
  { email: 'admin@weinuan.example', displayName: '平台管理员', role: '平台管理员', isPlatformAdmin: true },
  ...demoInstitutions.flatMap((inst, index): DemoAccount[] => [
    { email: `manager${index + 1}@weinuan.example`, displayName: `${inst.short}管理员`, role: `${inst.name} 管理员`, membership: { slug: inst.slug, role: 'manager' } },
    { email: `staff${index + 1}@weinuan.example`, displayName: `${inst.short}社工`, role: `${inst.name} 工作人员`, membership: { slug: inst.slug, role: 'staff' } },
  ]),
  { email: 'donor@weinuan.example', displayName: '王爱心', role: '爱心人士（捐赠者）' },
  { email: 'volunteer@weinuan.example', displayName: '李志愿', role: '志愿者' },
]

export async function seedDemoData(db: DB): Promise<{ institutions: number; accounts: number }> {
  if (process.env.NODE_ENV === 'production') throw new Error('Refusing to seed demo data when NODE_ENV=production')
  let createdInstitutions = 0
  let createdAccounts = 0
  for (const inst of demoInstitutions) {
    if (db.select({ id: institutions.id }).from(institutions).where(eq(institutions.slug, inst.slug)).get()) continue
    const parentId = inst.parent ? db.select({ id: institutions.id }).from(institutions).where(eq(institutions.slug, inst.parent)).get()?.id : undefined
    const { short: _short, parent: _parent, ...values } = inst
    db.insert(institutions).values({ ...values, parentId: parentId ?? null }).run()
    createdInstitutions++
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  for (const account of demoAccounts) {
    let user = db.select({ id: users.id }).from(users).where(eq(users.email, account.email)).get()
    if (!user) {
      user = db
        .insert(users)
        .values({ email: account.email, displayName: account.displayName, passwordHash, isPlatformAdmin: account.isPlatformAdmin ?? false })
        .returning({ id: users.id })
        .get()
      createdAccounts++
    }
    if (account.membership) {
      const inst = db.select({ id: institutions.id }).from(institutions).where(eq(institutions.slug, account.membership.slug)).get()
      if (inst) {
        db.insert(memberships).values({ userId: user.id, institutionId: inst.id, role: account.membership.role }).onConflictDoNothing().run()
      }
    }
  }
  return { institutions: createdInstitutions, accounts: createdAccounts }
}
