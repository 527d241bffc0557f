import { and, eq, inArray, sql } from 'drizzle-orm'
import type { DB } from '~db/client.server'
import { families as familiesTable, programmes as programmesTable } from '~db/schema'
import {
  campaignInstitutions,
  campaigns,
  children,
  institutions,
  memberships,
  needs,
  slotSeries,
  slots,
  users,
  wishes,
  type InstitutionKind,
  type MembershipRole,
  type OrgType,
} from '~db/schema'
import { hashPassword } from '~/auth/password.server'
import { buildRrule, generateSeriesSlots, type SeriesTemplate } from '~/slots/series.server'
import { shanghaiInstant, shanghaiParts } from '~/utils/shanghai-date'

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
  // 机构信息 and 收件信息: demo values (the codes pass the check character but belong to nobody).
  registrationKind?: 'uscc' | 'legacy'
  registrationNo?: string
  registrationAuthority?: string
  orgType?: OrgType
  publicFundraising?: boolean
  publicPhone?: string
  shippingRecipient?: string
  shippingPhone?: string
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
    registrationNo: '12371600MB12345672',
    registrationAuthority: '滨州市事业单位登记管理局（演示）',
    orgType: 'civil_affairs',
    publicPhone: '0543-3000000',
    shippingRecipient: '张老师（物资组，演示）',
    shippingPhone: '0543-3000001',
    description:
      '滨州市福利院坚持开门办院，每月第二个周六为社会开放日，欢迎爱心人士和志愿者走进福利院。团体来访请提前预约，来访者登记后凭来访接待单进入开放区域。',
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
    registrationNo: '12410200MB2345678G',
    registrationAuthority: '开封市事业单位登记管理局（演示）',
    orgType: 'civil_affairs',
    publicPhone: '0371-2000000',
    shippingRecipient: '刘妈妈（SOS 家庭，演示）',
    shippingPhone: '0371-2000001',
    description:
      '以家庭式养育照料孩子们的成长。相关捐赠情况会在公众号定期公示，每一笔捐赠都在阳光下运行，每一笔爱心款物都会用在服务对象身上。',
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
    registrationNo: '11410200MB34567895',
    registrationAuthority: '开封市事业单位登记管理局（演示）',
    orgType: 'civil_affairs',
    shippingRecipient: '赵站长（演示）',
    shippingPhone: '0371-2100000',
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
    registrationKind: 'legacy',
    registrationNo: '开救站点字第 003 号（演示）',
    registrationAuthority: '开封市民政局（演示）',
    orgType: 'civil_affairs',
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
    registrationNo: '12330213MB45678901',
    registrationAuthority: '宁波市奉化区事业单位登记管理局（演示）',
    orgType: 'civil_affairs',
    shippingRecipient: '陈老师（演示）',
    shippingPhone: '0574-8800000',
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
    registrationNo: '52371502MJ56789011',
    registrationAuthority: '聊城市民政局（演示）',
    orgType: 'charity',
    publicFundraising: false,
    shippingRecipient: '孙社工（焕新乐园项目组，演示）',
    shippingPhone: '0635-8000000',
    description: '运营「焕新乐园」项目：为困境儿童家庭进行居住空间改造，并由志愿者团队开展一年 12 次家庭陪伴。',
  },
]

export type DemoAccount = {
  email: string
  displayName: string
  role: string
  isPlatformAdmin?: boolean
  membership?: { slug: string; role: MembershipRole }
}

export const demoAccounts: DemoAccount[] = [
  { email: 'admin@weinuan.example', displayName: '平台管理员', role: '平台管理员', isPlatformAdmin: true },
  ...demoInstitutions.flatMap((inst, index): DemoAccount[] => [
    {
      email: `manager${index + 1}@weinuan.example`,
      displayName: `${inst.short}管理员`,
      role: `${inst.name} 管理员`,
      membership: { slug: inst.slug, role: 'manager' },
    },
    {
      email: `staff${index + 1}@weinuan.example`,
      displayName: `${inst.short}社工`,
      role: `${inst.name} 工作人员`,
      membership: { slug: inst.slug, role: 'staff' },
    },
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
    const parentId = inst.parent
      ? db.select({ id: institutions.id }).from(institutions).where(eq(institutions.slug, inst.parent)).get()?.id
      : undefined
    const { short: _short, parent: _parent, ...values } = inst
    db.insert(institutions)
      .values({ ...values, parentId: parentId ?? null })
      .run()
    createdInstitutions++
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  for (const account of demoAccounts) {
    let user = db.select({ id: users.id }).from(users).where(eq(users.email, account.email)).get()
    if (!user) {
      user = db
        .insert(users)
        .values({
          email: account.email,
          displayName: account.displayName,
          passwordHash,
          isPlatformAdmin: account.isPlatformAdmin ?? false,
          // Demo accounts stand for people who verified their address when they registered.
          emailVerifiedAt: new Date(),
        })
        .returning({ id: users.id })
        .get()
      createdAccounts++
    }
    if (account.membership) {
      const inst = db.select({ id: institutions.id }).from(institutions).where(eq(institutions.slug, account.membership.slug)).get()
      if (inst) {
        db.insert(memberships)
          .values({ userId: user.id, institutionId: inst.id, role: account.membership.role })
          .onConflictDoNothing()
          .run()
      }
    }
  }
  seedDemoWishes(db)
  seedDemoSlots(db)
  seedDemoNeeds(db)
  seedDemoProgrammes(db)
  return { institutions: createdInstitutions, accounts: createdAccounts }
}

// ---- 微心愿 demo: children, campaigns and wishes --------------------------------------------
// Children's names are fictional but look like real names, so that a demo tester who types one
// into a wish story sees the privacy check fire (docs/product.md rule 1; issue 13 item 11: names
// marked （演示） never matched anything). Each record's private notes say the child is made up.
// Rows are matched by a stable key (campaign slug; child by home + name; wish by child + title),
// so reruns add only what is missing; a child seeded under the old （演示） name is renamed.

type DemoChild = { home: string; realName: string; pseudonym: string; birthDate: string; gender: 'female' | 'male' }
type DemoWish = {
  child: string
  category: 'material' | 'study' | 'psychological' | 'growth' | 'physical' | 'legal'
  title: string
  story: string
  itemDetails: string
  quantity?: number
  valueFen?: number
  campaign?: string
  draft?: boolean
}

export const demoCampaigns = [
  {
    slug: 'binzhou-liuyi-runxin',
    home: 'binzhou-fuliyuan',
    name: '六一「润心伴成长」',
    description: '六一儿童节微心愿活动：为福利院的孩子们实现一份小小的节日心愿。',
  },
  {
    slug: 'fenggan-weixinyuan',
    home: 'fenghua-baohu',
    name: '奉甘两地微心愿',
    description: '东西部协作结对活动：两地爱心人士共同认领困境儿童的微心愿。',
  },
]

const DEMO_CHILD_NOTE = '演示数据：这个孩子是虚构的，姓名和生日都是编的。'

export const demoChildren: DemoChild[] = [
  { home: 'binzhou-fuliyuan', realName: '林小满', pseudonym: '小凤', birthDate: '2017-04-12', gender: 'female' },
  { home: 'binzhou-fuliyuan', realName: '陈一禾', pseudonym: '小禾', birthDate: '2019-08-20', gender: 'male' },
  { home: 'binzhou-fuliyuan', realName: '周雨桐', pseudonym: '小雨', birthDate: '2014-02-03', gender: 'female' },
  { home: 'binzhou-fuliyuan', realName: '王晨阳', pseudonym: '小阳', birthDate: '2011-11-11', gender: 'male' },
  { home: 'fenghua-baohu', realName: '张星辰', pseudonym: '小星', birthDate: '2016-06-01', gender: 'male' },
  { home: 'fenghua-baohu', realName: '李月影', pseudonym: '小月', birthDate: '2018-10-10', gender: 'female' },
  { home: 'fenghua-baohu', realName: '赵安然', pseudonym: '小安', birthDate: '2013-03-15', gender: 'male' },
  { home: 'kaifeng-sos', realName: '刘苗苗', pseudonym: '小苗', birthDate: '2020-05-05', gender: 'female' },
  { home: 'kaifeng-sos', realName: '孙乐天', pseudonym: '小乐', birthDate: '2015-07-07', gender: 'male' },
  { home: 'liaocheng-jiayin', realName: '吴清溪', pseudonym: '小溪', birthDate: '2012-12-12', gender: 'female' },
]

export const demoWishes: DemoWish[] = [
  {
    child: '林小满',
    category: 'study',
    title: '一套《十万个为什么》',
    story: '小凤总爱问“为什么”，天上的星星为什么会眨眼、蚂蚁为什么会排队……她想自己在书里找到答案。',
    itemDetails: '少儿彩图注音版，全 8 册',
    valueFen: 12800,
    campaign: 'binzhou-liuyi-runxin',
  },
  {
    child: '陈一禾',
    category: 'study',
    title: '学习书桌',
    story: '小禾今年上一年级了，现在趴在床边写作业。他想要一张属于自己的小书桌。',
    itemDetails: '儿童可升降学习桌，桌面宽 80 厘米左右，带小抽屉',
    valueFen: 39900,
    campaign: 'binzhou-liuyi-runxin',
  },
  {
    child: '周雨桐',
    category: 'study',
    title: '文具用品一套',
    story: '新学期快到了，小雨想要一套新文具，和同学们一起认真学习。',
    itemDetails: '书包 1 个、文具盒 1 个、自动铅笔 2 支、橡皮和尺子若干',
    valueFen: 15000,
    campaign: 'binzhou-liuyi-runxin',
  },
  {
    child: '王晨阳',
    category: 'physical',
    title: '一个篮球',
    story: '小阳每天放学都去球场看别人打球，他希望有一个自己的篮球，和伙伴们一起练习。',
    itemDetails: '7 号标准篮球，室内外通用',
    valueFen: 12000,
  },
  {
    child: '陈一禾',
    category: 'growth',
    title: '绘本 5 本',
    story: '小禾最喜欢听老师讲故事，睡前总要抱着书。他想要几本新绘本。',
    itemDetails: '适合 6–8 岁的绘本，如《猜猜我有多爱你》《大卫，不可以》等，共 5 本',
    quantity: 5,
    valueFen: 18000,
    campaign: 'binzhou-liuyi-runxin',
  },
  {
    child: '林小满',
    category: 'psychological',
    title: '心理陪伴：一起读书聊天',
    story: '小凤有些内向，社工希望有爱心志愿者每月来陪她读一次书、聊聊天。',
    itemDetails: '每月 1 次、共 3 次，每次约 1 小时，在福利院开放区域进行',
    draft: true,
  },
  {
    child: '张星辰',
    category: 'material',
    title: '冬季棉衣',
    story: '天气转冷，小星去年的棉衣已经短了一截，他想要一件暖和的新棉衣。',
    itemDetails: '身高 140 厘米，深蓝或黑色，中长款',
    valueFen: 20000,
    campaign: 'fenggan-weixinyuan',
  },
  {
    child: '李月影',
    category: 'growth',
    title: '一套科普绘本',
    story: '小月对小动物特别好奇，想看看书里的动物们是怎么生活的。',
    itemDetails: '动物百科绘本一套（4–6 册）',
    valueFen: 16000,
    campaign: 'fenggan-weixinyuan',
  },
  {
    child: '赵安然',
    category: 'material',
    title: '一双运动鞋',
    story: '小安参加了跑步兴趣班，他的旧鞋子已经磨破了。',
    itemDetails: '运动跑鞋，尺码 38',
    valueFen: 22000,
    campaign: 'fenggan-weixinyuan',
  },
  {
    child: '赵安然',
    category: 'legal',
    title: '《未成年人保护法》漫画读本',
    story: '社工在给孩子们上自我保护课，小安想要一本看得懂的法律知识漫画书。',
    itemDetails: '未成年人保护法 漫画版或绘本版 1 本',
    valueFen: 4500,
    campaign: 'fenggan-weixinyuan',
  },
  {
    child: '刘苗苗',
    category: 'material',
    title: '冬季棉被',
    story: '小苗睡觉怕冷，想要一床厚厚的新棉被。',
    itemDetails: '儿童单人棉被，150×200 厘米，冬季加厚',
    valueFen: 25000,
  },
  {
    child: '孙乐天',
    category: 'study',
    title: '一本新华字典',
    story: '小乐读书时遇到不认识的字总要去问别人，他想要一本自己的字典。',
    itemDetails: '《新华字典》最新版，双色本',
    valueFen: 2900,
    draft: true,
  },
  {
    child: '吴清溪',
    category: 'psychological',
    title: '日记本和一套彩铅',
    story: '小溪喜欢把心事画下来，想要一本日记本和一套彩色铅笔。',
    itemDetails: '硬壳日记本 1 本，48 色彩铅 1 套',
    valueFen: 9000,
  },
]

function seedDemoWishes(db: DB): void {
  const at = new Date()
  const homeId = (slug: string) => db.select({ id: institutions.id }).from(institutions).where(eq(institutions.slug, slug)).get()?.id
  // Campaign dates are relative to the seeding day so that the demo campaigns are running.
  for (const c of demoCampaigns) {
    const owner = homeId(c.home)
    if (!owner || db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.slug, c.slug)).get()) continue
    const row = db
      .insert(campaigns)
      .values({
        slug: c.slug,
        name: c.name,
        description: c.description,
        ownerInstitutionId: owner,
        startsAt: new Date(at.getTime() - 14 * 86_400_000),
        endsAt: new Date(at.getTime() + 120 * 86_400_000),
      })
      .returning({ id: campaigns.id })
      .get()
    db.insert(campaignInstitutions).values({ campaignId: row.id, institutionId: owner }).onConflictDoNothing().run()
  }
  const childIds = new Map<string, { id: number; institutionId: number }>()
  for (const c of demoChildren) {
    const institutionId = homeId(c.home)
    if (!institutionId) continue
    const legacyName = `${c.realName}（演示）`
    const existing = db
      .select({ id: children.id, realName: children.realName })
      .from(children)
      .where(and(eq(children.institutionId, institutionId), inArray(children.realName, [c.realName, legacyName])))
      .get()
    if (existing && existing.realName === legacyName)
      db.update(children).set({ realName: c.realName, privateNotes: DEMO_CHILD_NOTE }).where(eq(children.id, existing.id)).run()
    const id =
      existing?.id ??
      db
        .insert(children)
        .values({
          institutionId,
          realName: c.realName,
          pseudonym: c.pseudonym,
          birthDate: c.birthDate,
          gender: c.gender,
          privateNotes: DEMO_CHILD_NOTE,
        })
        .returning({ id: children.id })
        .get().id
    childIds.set(c.realName, { id, institutionId })
  }
  demoWishes.forEach((w, index) => {
    const child = childIds.get(w.child)
    if (!child) return
    if (
      db
        .select({ id: wishes.id })
        .from(wishes)
        .where(and(eq(wishes.childId, child.id), eq(wishes.title, w.title)))
        .get()
    )
      return
    const campaignId = w.campaign
      ? (db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.slug, w.campaign)).get()?.id ?? null)
      : null
    db.insert(wishes)
      .values({
        institutionId: child.institutionId,
        childId: child.id,
        campaignId,
        category: w.category,
        title: w.title,
        story: w.story,
        itemDetails: w.itemDetails,
        quantity: w.quantity ?? 1,
        estimatedValueFen: w.valueFen ?? null,
        status: w.draft ? 'draft' : 'published',
        // Staggered so that "newest" has a stable, natural order.
        publishedAt: w.draft ? null : new Date(at.getTime() - (demoWishes.length - index) * 3_600_000),
      })
      .run()
  })
}

// ---- 志愿服务 demo: an open-day series, a tutoring series, a summer camp ---------------------
// Series are matched by home + title and (re)generated six months ahead; the camp by home + title.

const demoSeries: Array<{ home: string; template: Omit<SeriesTemplate, 'firstDate' | 'untilDate'> }> = [
  {
    home: 'binzhou-fuliyuan',
    template: {
      kind: 'open_day',
      title: '社会开放日',
      description:
        '每月第二个周六为社会开放日，欢迎爱心人士和志愿者走进福利院，参观开放区域、陪孩子们做游戏。团体来访请至少提前 3 天预约；来访者凭来访接待单进入开放区域。',
      location: '滨州市福利院一楼开放区域',
      capacity: 40,
      allowGroups: true,
      groupMinDaysAhead: 3,
      groupMaxSize: 15,
      cancelCutoffHours: 24,
      offerHoldHours: 12,
      minAge: null,
      requiredQualifications: [],
      requiresBackgroundCheck: false,
      opensDaysBefore: null,
      closesHoursBefore: null,
      status: 'published',
      recurrence: 'monthly_2nd_saturday',
      weekday: 6,
      startTime: '09:30',
      endTime: '11:30',
    },
  },
  {
    home: 'kaifeng-sos',
    template: {
      kind: 'tutoring',
      title: '周六学业辅导',
      description: '为学业困难的孩子一对一辅导作业和阅读。需与儿童密切接触：须通过背景核验，并具备教师资格。',
      location: '开封SOS儿童村 学习室',
      capacity: 6,
      allowGroups: false,
      groupMinDaysAhead: 0,
      groupMaxSize: 2,
      cancelCutoffHours: 24,
      offerHoldHours: 12,
      minAge: 18,
      requiredQualifications: ['teacher_certificate'],
      requiresBackgroundCheck: true,
      opensDaysBefore: null,
      closesHoursBefore: null,
      status: 'published',
      recurrence: 'weekly',
      weekday: 6,
      startTime: '14:00',
      endTime: '16:00',
    },
  },
]

function seedDemoSlots(db: DB): void {
  const at = new Date()
  const today = shanghaiParts(at)
  const homeId = (slug: string) => db.select({ id: institutions.id }).from(institutions).where(eq(institutions.slug, slug)).get()?.id
  for (const demo of demoSeries) {
    const institutionId = homeId(demo.home)
    if (!institutionId) continue
    db.transaction((tx) => {
      let series = tx
        .select()
        .from(slotSeries)
        .where(
          and(eq(slotSeries.institutionId, institutionId), sql`json_extract(${slotSeries.template}, '$.title') = ${demo.template.title}`),
        )
        .get()
      if (!series) {
        const template: SeriesTemplate = { ...demo.template, firstDate: today.date, untilDate: null }
        const [sh, sm] = template.startTime.split(':').map(Number) as [number, number]
        const [eh, em] = template.endTime.split(':').map(Number) as [number, number]
        series = tx
          .insert(slotSeries)
          .values({ institutionId, rrule: buildRrule(template), durationMinutes: eh * 60 + em - (sh * 60 + sm), template })
          .returning()
          .get()
      }
      generateSeriesSlots(tx, series, at)
    })
  }
  // 普特融合夏令营 next July: a camp whose places went in under half a day.
  const camp = homeId('liaocheng-jiayin')
  const title = '普特融合夏令营'
  if (
    camp &&
    !db
      .select({ id: slots.id })
      .from(slots)
      .where(and(eq(slots.institutionId, camp), eq(slots.title, title)))
      .get()
  ) {
    const year = today.month >= 7 ? today.year + 1 : today.year
    db.insert(slots)
      .values({
        institutionId: camp,
        kind: 'camp',
        title,
        description:
          '普通儿童与特殊需要儿童一起参加的五天融合夏令营：手工、音乐、户外游戏和分享会。去年的名额不到半天就约满了，请尽早预约；满员后可加入候补。',
        location: '聊城市东昌府区（演示地址）',
        startsAt: shanghaiInstant(`${year}-07-12`, '09:00'),
        endsAt: shanghaiInstant(`${year}-07-16`, '16:00'),
        capacity: 30,
        allowGroups: true,
        groupMinDaysAhead: 0,
        groupMaxSize: 3,
        cancelCutoffHours: 72,
        status: 'published',
      })
      .run()
  }
}

// ---- 物资需求 demo: needs at the 临时救助点, its 救助站 and a 福利院 ---------------------------------
// Matched by home + title, so reruns add only what is missing.
type DemoNeed = {
  home: string
  title: string
  unit: string
  quantity: number
  perPledgeMax?: number
  urgent?: boolean
  itemDescription: string
  specification?: string
  deliveryHours: string
}

export const demoNeeds: DemoNeed[] = [
  {
    home: 'kaifeng-youfang',
    title: '饮用水',
    unit: '箱',
    quantity: 200,
    urgent: true,
    itemDescription: '瓶装饮用水，供临时救助点的儿童和受助人员饮用。',
    specification: '550ml × 24 瓶/箱，保质期 6 个月以上',
    deliveryHours: '每天 8:00–20:00',
  },
  {
    home: 'kaifeng-youfang',
    title: '方便面',
    unit: '箱',
    quantity: 100,
    itemDescription: '方便食品，应急时使用。',
    specification: '24 包/箱，保质期 3 个月以上',
    deliveryHours: '每天 8:00–20:00',
  },
  {
    home: 'kaifeng-youfang',
    title: '四季衣物',
    unit: '件',
    quantity: 80,
    itemDescription: '儿童和成人的四季衣物，新衣或九成新以上、已清洗。',
    specification: '儿童 110–160 码，成人 M–XXL',
    deliveryHours: '每天 8:00–20:00',
  },
  {
    home: 'kaifeng-youfang',
    title: '被褥',
    unit: '套',
    quantity: 50,
    itemDescription: '被褥套装（被子、褥子、枕头）。',
    specification: '1.5 米床，全新',
    deliveryHours: '每天 8:00–20:00',
  },
  {
    home: 'kaifeng-youfang',
    title: '棉被',
    unit: '条',
    quantity: 40,
    itemDescription: '冬季保暖棉被。',
    specification: '200 × 230 cm，3 kg 以上，全新',
    deliveryHours: '每天 8:00–20:00',
  },
  {
    home: 'kaifeng-jiuzhu',
    title: '大米',
    unit: '袋',
    quantity: 60,
    itemDescription: '食堂用大米。',
    specification: '10 kg/袋',
    deliveryHours: '周一至周五 9:00–17:00',
  },
  {
    home: 'kaifeng-jiuzhu',
    title: '面粉',
    unit: '袋',
    quantity: 40,
    itemDescription: '食堂用面粉。',
    specification: '10 kg/袋，中筋',
    deliveryHours: '周一至周五 9:00–17:00',
  },
  {
    home: 'kaifeng-jiuzhu',
    title: '食用油',
    unit: '桶',
    quantity: 30,
    itemDescription: '食堂用食用油。',
    specification: '5 L/桶',
    deliveryHours: '周一至周五 9:00–17:00',
  },
  {
    home: 'binzhou-fuliyuan',
    title: '冬季棉衣',
    unit: '件',
    quantity: 30,
    perPledgeMax: 10,
    itemDescription: '孩子们过冬的棉衣，全新。',
    specification: '儿童 110–170 码，颜色不限',
    deliveryHours: '周一至周六 9:00–16:00',
  },
]

function seedDemoNeeds(db: DB): void {
  for (const demo of demoNeeds) {
    const home = db
      .select({ id: institutions.id, address: institutions.publicAddress })
      .from(institutions)
      .where(eq(institutions.slug, demo.home))
      .get()
    if (!home) continue
    if (
      db
        .select({ id: needs.id })
        .from(needs)
        .where(and(eq(needs.institutionId, home.id), eq(needs.title, demo.title)))
        .get()
    )
      continue
    db.insert(needs)
      .values({
        institutionId: home.id,
        title: demo.title,
        category: 'material',
        itemDescription: demo.itemDescription,
        specification: demo.specification ?? '',
        unit: demo.unit,
        quantityNeeded: demo.quantity,
        perPledgeMax: demo.perPledgeMax ?? null,
        urgency: demo.urgent ? 'urgent' : 'normal',
        deliveryAddress: home.address,
        deliveryHours: demo.deliveryHours,
        status: 'open',
      })
      .run()
  }
}

// ---- 焕新乐园 and 学业辅导 demo: programmes and fictional families (aliases only public) --------
// Programmes matched by slug, families by home + alias, so reruns add only what is missing.
function seedDemoProgrammes(db: DB): void {
  const homeOf = (slug: string) => db.select({ id: institutions.id }).from(institutions).where(eq(institutions.slug, slug)).get()?.id
  const jiayin = homeOf('liaocheng-jiayin')
  const sos = homeOf('kaifeng-sos')
  const demos = [
    jiayin && {
      institutionId: jiayin,
      slug: 'huanxin-leyuan',
      name: '焕新乐园',
      kind: 'companionship' as const,
      description:
        '由聊城佳音社会工作服务中心联合东昌府区儿童福利机构开展：为困境儿童家庭进行居住空间改造，并由志愿者团队开展一年 12 次家庭陪伴。',
      asksOfVolunteers: '组成 1–3 人的志愿者小组，每月到结对家庭陪伴一次（辅导作业、共读、游戏、倾听），坚持一年；每次陪伴后用手机记录。',
      plannedVisits: 12,
      cadence: 'monthly' as const,
      durationMonths: 12,
      requiredQualifications: [],
      requiresBackgroundCheck: true,
    },
    sos && {
      institutionId: sos,
      slug: 'kaifeng-sos-tutoring',
      name: '学业辅导',
      kind: 'tutoring' as const,
      description: '为学习有困难的孩子匹配有教师资格的志愿者，每周一次一对一辅导。',
      asksOfVolunteers: '持有教师资格证，每周固定时间辅导一次，坚持一年。',
      plannedVisits: 40,
      cadence: 'weekly' as const,
      durationMonths: 12,
      requiredQualifications: ['teacher_certificate' as const],
      requiresBackgroundCheck: true,
    },
  ]
  for (const demo of demos) {
    if (!demo) continue
    if (db.select({ id: programmesTable.id }).from(programmesTable).where(eq(programmesTable.slug, demo.slug)).get()) continue
    db.insert(programmesTable).values(demo).run()
  }
  if (!jiayin) return
  const demoFamilies = [
    { alias: '小雨家', householdDescription: '（演示）祖孙二人，孩子在读小学三年级。', address: '（演示）东昌府区', contacts: '' },
    { alias: '小林家', householdDescription: '（演示）单亲家庭，两个孩子。', address: '（演示）东昌府区', contacts: '' },
  ]
  for (const family of demoFamilies) {
    if (
      db
        .select({ id: familiesTable.id })
        .from(familiesTable)
        .where(and(eq(familiesTable.institutionId, jiayin), eq(familiesTable.alias, family.alias)))
        .get()
    )
      continue
    db.insert(familiesTable)
      .values({ ...family, institutionId: jiayin })
      .run()
  }
}
