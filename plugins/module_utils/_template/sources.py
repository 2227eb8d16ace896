# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The staff lists people already have: each vendor's bulk-import template or contact export, as data.

A source says which of its headers mean which roster key, beside the generic template's headers
(``headers.HEADER_ALIASES``, which every source also understands), and which of its columns are
known but of no use to a roster (a person's gender, a fax number): those are ignored and listed,
never an error. ``headers.map_headers`` picks the source from the header row and does the mapping;
this file holds only what the vendors' files look like.

Vocabulary entries are ``(key, headers)``: ``key`` is a roster key, ``family_name`` /
``given_name`` (a name split in two columns, joined as the source means it), ``password_hash``
(Google's hash function column), or None for a known column that is not used. When two entries
of one source give the same key, the first one's column is used and the later one's fills in a
cell the first leaves blank (Google's ``Org Unit Path`` first, its ``Department`` after it).
Headers are compared as ``headers.header_key`` does: case, spaces and a trailing note in
brackets (``[Required]``, ``(必填)``) do not matter.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class Source:
    """One kind of file people bring.

    ``template`` is the header row the vendor's own file has, in its order (what an export
    writes, and what its example shows); ``states`` maps its status words to roster states;
    ``keep_password`` is the password cell that means "leave the password as it is". ``marks``
    are the headers that show a file is this source's: only they make detection pick it (a file
    of the generic template with a 备注 column is not a DingTalk export because DingTalk has one).
    """

    def __init__(self, name, title, template, columns, marks, states=None, keep_password=None):
        self.name = name
        self.title = title
        self.template = template
        self.columns = columns
        self.marks = marks
        self.states = states or {}
        self.keep_password = keep_password


M365 = Source(
    'm365', u'Microsoft 365 "Add multiple users" CSV',
    template=('User Name', 'First Name', 'Last Name', 'Display Name', 'Job Title', 'Department', 'Office Number',
              'Office Phone', 'Mobile Phone', 'Fax', 'Alternate email address', 'Address', 'City',
              'State or Province', 'ZIP or Postal Code', 'Country or Region'),
    columns=(
        ('email', ('User Name', 'Username', 'User Principal Name')),
        # The display name when filled in; First Name and Last Name (generic headers) otherwise.
        ('name', ('Display Name',)),
        (None, ('Office Number', 'Office Phone', 'Fax', 'Alternate email address', 'Address', 'City',
                'State or Province', 'ZIP or Postal Code', 'Country or Region', 'Usage Location')),
    ),
    marks=('User Name', 'Display Name', 'Office Number', 'Office Phone', 'Alternate email address',
           'State or Province', 'ZIP or Postal Code', 'Country or Region'),
)

GOOGLE = Source(
    'google', u'Google Workspace "Bulk update users" CSV',
    template=('First Name [Required]', 'Last Name [Required]', 'Email Address [Required]', 'Password [Required]',
              'Password Hash Function [UPLOAD ONLY]', 'Org Unit Path [Required]', 'New Primary Email [UPLOAD ONLY]',
              'Recovery Email', 'Home Secondary Email', 'Work Secondary Email',
              'Recovery Phone [MUST BE IN THE E.164 FORMAT]', 'Work Phone', 'Home Phone', 'Mobile Phone',
              'Work Address', 'Home Address', 'Employee ID', 'Employee Type', 'Employee Title', 'Manager Email',
              'Department', 'Cost Center', 'Building ID', 'Floor Name', 'Floor Section',
              'Change Password at Next Sign-In', 'New Status [UPLOAD ONLY]',
              'Advanced Protection Program enrollment'),
    columns=(
        # The organisational unit is the tree (/Sales/East); Department fills in for users at "/".
        ('department', ('Org Unit Path',)),
        ('title', ('Employee Title',)),
        # What to set, then what a downloaded file says the account is now.
        ('state', ('New Status',)),
        ('password_hash', ('Password Hash Function',)),
        # Google's own full name ("Name [READ ONLY]") is First Last whatever the script: the two
        # columns it comes from are joined the way the name is written instead.
        (None, ('Name', 'New Primary Email', 'Recovery Email', 'Home Secondary Email', 'Work Secondary Email',
                'Recovery Phone', 'Work Phone', 'Home Phone', 'Work Address', 'Home Address', 'Employee Type',
                'Manager Email', 'Cost Center', 'Building ID', 'Floor Name', 'Floor Section',
                'Change Password at Next Sign-In', 'Advanced Protection Program enrollment', 'Last Sign In',
                'Email Usage', '2sv Enrolled', '2sv Enforced')),
    ),
    marks=('Org Unit Path', 'Password Hash Function', 'New Primary Email', 'Employee Title', 'New Status',
           'Recovery Email', 'Recovery Phone', 'Work Secondary Email', 'Change Password at Next Sign-In',
           'Manager Email', 'Cost Center', 'Building ID'),
    states={'active': 'present', 'suspended': 'disabled'},
    keep_password='****',
)

EXMAIL = Source(
    'exmail', u'Tencent Exmail batch-import template',
    template=(u'帐号', u'密码', u'编号', u'姓名', u'手机', u'电话', u'所属部门', u'性别', u'职务', u'生日'),
    columns=(
        (None, (u'性别', u'生日', u'出生日期', u'英文名', u'分机号', u'QQ')),
    ),
    marks=(u'生日', u'出生日期', u'QQ'),
)

# The contact exports of the chat suites: 别名 there is a nickname ("Tom"), not a mail alias.
WECOM = Source(
    'wecom', u'WeCom (企业微信) contact export',
    template=(u'姓名', u'帐号', u'别名', u'职务', u'部门', u'性别', u'手机', u'座机', u'个人邮箱', u'企业邮箱', u'地址',
              u'激活状态'),
    columns=(
        ('state', (u'账号状态', u'帐号状态', u'成员状态')),
        (None, (u'别名', u'性别', u'座机', u'个人邮箱', u'地址', u'激活状态', u'英文名', u'对外职务', u'对外职位',
                u'视频号', u'直属上级', u'分机号')),
    ),
    marks=(u'个人邮箱', u'激活状态', u'对外职务', u'对外职位', u'视频号', u'账号状态', u'帐号状态', u'成员状态'),
    states={u'已激活': 'present', u'未激活': 'present', u'已禁用': 'disabled', u'已退出': 'absent'},
)

DINGTALK = Source(
    'dingtalk', u'DingTalk (钉钉) contact export',
    template=(u'姓名', u'工号', u'手机号', u'部门', u'职位', u'邮箱', u'性别', u'座机', u'分机号', u'办公地点',
              u'入职时间', u'备注'),
    columns=(
        (None, (u'性别', u'座机', u'分机号', u'办公地点', u'工作地点', u'入职时间', u'备注', u'主管', u'直属主管',
                u'员工UserID', u'UserID', u'角色', u'是否高管')),
    ),
    marks=(u'入职时间', u'办公地点', u'员工UserID', u'是否高管', u'直属主管'),
)

FEISHU = Source(
    'feishu', u'Feishu (飞书) contact export',
    template=(u'姓名', u'用户ID', u'手机号', u'企业邮箱', u'部门', u'职务', u'工号', u'性别', u'员工类型', u'入职日期',
              u'工作城市', u'直属上级'),
    columns=(
        (None, (u'别名', u'用户ID', u'性别', u'员工类型', u'入职日期', u'工作城市', u'直属上级', u'人员类型',
                u'英文名')),
    ),
    marks=(u'用户ID', u'入职日期', u'工作城市', u'人员类型', u'员工类型'),
)

# In this order: when two sources know as many of a file's columns, the earlier one is named.
SOURCES = (M365, GOOGLE, EXMAIL, WECOM, DINGTALK, FEISHU)
SOURCE_BY_NAME = dict((source.name, source) for source in SOURCES)
# Several departments in one cell (WeCom, DingTalk): the first one is the person's department.
DEPARTMENT_SEPARATORS = (';', u'；')
